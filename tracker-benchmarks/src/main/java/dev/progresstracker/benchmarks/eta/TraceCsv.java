package dev.progresstracker.benchmarks.eta;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes traces as CSV: {@code timestamp,taskId,status,percent,type,weight,parent}, one
 * header line, timestamps ISO-8601 UTC (or seconds since the epoch). Lines starting with # are
 * comments. A malformed line throws naming the trace, line number and field.
 */
public final class TraceCsv {

    /** Resource folder of the shipped suite (on the classpath). */
    public static final String SUITE_RESOURCE_DIR = "/eta-traces/";
    /** The shipped traces, in report order. */
    public static final List<String> SUITE = List.of(
            "steady",
            "slow-start",
            "late-slowdown",
            "bursty",
            "heavy-tailed",
            "stall",
            "retry",
            "eks-mixed",
            "eks-nested",
            "demo-recorded",
            "pdb-drain",
            "throttled",
            "plan-grows",
            "parallel-groups",
            "few-long",
            "many-short");

    private TraceCsv() {}

    public static void write(Trace trace, Path file) {
        write(trace, file, List.of());
    }

    /** Writes {@code trace} with {@code comments} as # lines after the header. */
    public static void write(Trace trace, Path file, List<String> comments) {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(TraceRow.HEADER);
            w.write('\n');
            for (String c : comments) {
                w.write("# " + c.replace('\n', ' ') + "\n");
            }
            for (TraceRow r : trace.rows()) {
                w.write(r.toCsv());
                w.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trace " + file, e);
        }
    }

    public static Trace read(String name, InputStream in) {
        List<TraceRow> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank() || line.startsWith("#") || rows.isEmpty() && line.startsWith("timestamp,")) {
                    continue;
                }
                rows.add(parse(name, n, line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trace " + name, e);
        }
        return new Trace(name, rows);
    }

    /** One trace of the shipped suite, from the classpath. */
    public static Trace suiteTrace(String name) {
        InputStream in = TraceCsv.class.getResourceAsStream(SUITE_RESOURCE_DIR + name + ".csv");
        if (in == null) {
            throw new IllegalArgumentException("no trace '" + name + "' in " + SUITE_RESOURCE_DIR);
        }
        return read(name, in);
    }

    public static List<Trace> suite() {
        List<Trace> out = new ArrayList<>();
        for (String s : SUITE) {
            out.add(suiteTrace(s));
        }
        return out;
    }

    private static TraceRow parse(String name, int line, String text) {
        String[] f = text.split(",", -1);
        if (f.length < 3) {
            throw bad(name, line, "expected at least timestamp,taskId,status but got '" + text + "'");
        }
        Instant time = parseTime(name, line, f[0].trim());
        String taskId = f[1].trim();
        if (taskId.isEmpty()) {
            throw bad(name, line, "taskId is empty");
        }
        TraceRow.Action action;
        try {
            action = TraceRow.Action.valueOf(f[2].trim());
        } catch (IllegalArgumentException e) {
            throw bad(name, line, "unknown status '" + f[2].trim() + "'");
        }
        double percent = number(name, line, "percent", field(f, 3));
        if (action == TraceRow.Action.PROGRESS && !(percent >= 0 && percent <= 100)) {
            throw bad(name, line, "PROGRESS needs a percent within 0..100, got '" + field(f, 3) + "'");
        }
        String type = field(f, 4).isEmpty() ? null : field(f, 4);
        double weight = number(name, line, "weight", field(f, 5));
        String parent = field(f, 6).isEmpty() ? null : field(f, 6);
        if (action == TraceRow.Action.ADDED) {
            type = type == null ? "UPGRADE_STEP" : type;
            weight = Double.isNaN(weight) ? 1.0 : weight;
        }
        return new TraceRow(time, taskId, action, percent, type, weight, parent);
    }

    private static String field(String[] f, int i) {
        return i < f.length ? f[i].trim() : "";
    }

    private static Instant parseTime(String name, int line, String v) {
        try {
            if (!v.isEmpty() && Character.isDigit(v.charAt(v.length() - 1)) && v.indexOf('T') < 0) {
                double s = Double.parseDouble(v);
                return Instant.ofEpochSecond((long) Math.floor(s), Math.round((s - Math.floor(s)) * 1e9));
            }
            return Instant.parse(v);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw bad(name, line, "timestamp '" + v + "' is neither ISO-8601 nor epoch seconds");
        }
    }

    private static double number(String name, int line, String field, String v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw bad(name, line, field + " '" + v + "' is not a number");
        }
    }

    private static IllegalArgumentException bad(String name, int line, String what) {
        return new IllegalArgumentException("trace '" + name + "' line " + line + ": " + what);
    }
}
