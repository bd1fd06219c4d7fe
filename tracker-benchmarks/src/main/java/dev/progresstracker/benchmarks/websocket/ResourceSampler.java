package dev.progresstracker.benchmarks.websocket;

import dev.progresstracker.websocket.WebSocketProgressServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Samples, from the driver's thread, the server's queued bytes and the heap (peaks), and reports CPU
 * time per thread group — which side (clients, server selector, send pump, sink) used the cores.
 */
final class ResourceSampler {

    /** Thread-name prefixes, in the order they are reported. */
    private static final String[][] GROUPS = {
        {"clients", "ws-load-client"},
        {"server selector", "WebSocketSelector"},
        {"server decoders", "WebSocketWorker"},
        {"send pump", "tracker-websocket-send"},
        {"sink thread", "tracker-sink-websocket"},
        {"store thread", "tracker-sink-store"},
        {"emitter (main)", "main"},
    };

    private final WebSocketProgressServer server;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long peakQueuedBytes;
    long peakHeapBytes;

    ResourceSampler(WebSocketProgressServer server) {
        this.server = server;
    }

    void sample() {
        peakQueuedBytes = Math.max(peakQueuedBytes, server.queuedBytes());
        peakHeapBytes = Math.max(peakHeapBytes, memory.getHeapMemoryUsage().getUsed());
    }

    /** Heap in use after a full GC: what is really retained. */
    long liveHeapAfterGc() {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** CPU nanoseconds used so far per thread group, plus "other" and "process". */
    Map<String, Long> cpuNanos() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String[] g : GROUPS) {
            out.put(g[0], 0L);
        }
        long other = 0;
        for (long id : threads.getAllThreadIds()) {
            ThreadInfo info = threads.getThreadInfo(id);
            long cpu = threads.getThreadCpuTime(id);
            if (info == null || cpu < 0) {
                continue;
            }
            String group = null;
            for (String[] g : GROUPS) {
                if (info.getThreadName().startsWith(g[1])) {
                    group = g[0];
                    break;
                }
            }
            if (group != null) {
                out.merge(group, cpu, Long::sum);
            } else {
                other += cpu;
            }
        }
        out.put("other threads", other);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean sun) {
            out.put("process", sun.getProcessCpuTime());
        }
        return out;
    }

    /**
     * The process's read and write system calls so far ({@code syscr}, {@code syscw} of
     * /proc/self/io: counts calls, not bytes; writev counts once), then its user and system CPU in
     * clock ticks (/proc/self/stat, usually 10 ms); -1 where unavailable.
     * Unlike CPU time, this does not depend on how busy the machine is.
     */
    static long[] ioCalls() {
        long[] out = {-1, -1, -1, -1};
        try {
            // /proc/self/stat: fields 14 and 15 are user and system CPU in clock ticks (after the ")" of the name).
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            out[2] = Long.parseLong(f[11]);
            out[3] = Long.parseLong(f[12]);
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("syscr:")) {
                    out[0] = Long.parseLong(line.substring(6).trim());
                } else if (line.startsWith("syscw:")) {
                    out[1] = Long.parseLong(line.substring(6).trim());
                }
            }
        } catch (Exception e) {
            // not Linux: leave -1
        }
        return out;
    }

    /** {@code a - b} per group, as "name 1.23 s" pairs. */
    static String cpuDelta(Map<String, Long> after, Map<String, Long> before) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(e.getKey()).append(' ').append(String.format(Locale.ROOT, "%.1f s", d / 1e9));
        }
        return sb.toString();
    }

    /** The three load averages of /proc/loadavg, or the JVM's 1-minute figure elsewhere. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return String.format(
                    Locale.ROOT,
                    "%.2f (1 min)",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
