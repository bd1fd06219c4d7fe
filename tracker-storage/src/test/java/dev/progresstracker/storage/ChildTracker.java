package dev.progresstracker.storage;

import dev.progresstracker.core.CallOutcome;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.journal.Durability;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The child JVM of the crash and resume tests. Modes:
 * <ul>
 *   <li>{@code drive <dir> <runId> <threads>}: opens the store in SYNC mode, resumes the run, prints
 *       {@code READY <lastSeq>}, then has {@code threads} threads add, start, advance, record usage of and
 *       complete tasks forever, printing {@code ACK <seq>} for every acknowledged transition — until killed.</li>
 *   <li>{@code part1 <dir> <runId>} / {@code part2 <dir> <runId>}: the two halves of a scripted upgrade;
 *       each prints {@code STATE <json>} of the tracker (part2 right after resuming), part1 then halts
 *       without closing anything, part2 finishes the run and prints {@code ACK <seq>} of each step.</li>
 *   <li>{@code load <dir> <runId>}: opens the store with default settings and prints {@code LOADED <lastSeq>},
 *       or {@code REFUSED <message>} if the run cannot be recovered.</li>
 * </ul>
 */
public final class ChildTracker {

    private ChildTracker() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path dir = Path.of(args[1]);
        String runId = args[2];
        PrintStream out = System.out;
        if (mode.equals("load")) {
            try (FileProgressStore s =
                    FileProgressStore.builder().directory(dir).build()) {
                print(
                        out,
                        "LOADED " + s.loadRun(runId).map(r -> r.lastSequence()).orElse(-1L));
            } catch (IllegalStateException e) {
                print(out, "REFUSED " + e.getMessage());
            }
            return;
        }
        FileProgressStore store = FileProgressStore.builder()
                .config(FileStoreConfig.builder()
                        .directory(dir)
                        .durability(Durability.SYNC)
                        .snapshotMinEvents(200)
                        .retainedEvents(100)
                        .segmentBytes(64 * 1024)
                        .build())
                .build();
        ProgressTracker tracker = ProgressTracker.builder()
                .runId(runId)
                .clusterName("crash-test")
                .store(store)
                .build();
        switch (mode) {
            case "drive":
                drive(tracker, out, Integer.parseInt(args[3]));
                break;
            case "part1":
                part1(tracker, out);
                Runtime.getRuntime().halt(0); // no close, no final snapshot: like a crash after the last ack
                break;
            case "part2":
                part2(tracker, out);
                tracker.close();
                break;
            default:
                throw new IllegalArgumentException("unknown mode " + mode);
        }
    }

    private static synchronized void print(PrintStream out, String line) {
        out.println(line);
        out.flush();
    }

    private static void drive(ProgressTracker t, PrintStream out, int threads) throws Exception {
        print(out, "READY " + t.snapshot().lastSequence());
        long base = t.snapshot().lastSequence();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            String prefix = "w" + w + "-" + base + "-";
            Thread th = new Thread(() -> {
                for (int n = 0; ; n++) {
                    String id = prefix + n;
                    ack(
                            out,
                            t.addTask(id, "Task " + id, TaskType.UPGRADE_STEP, null)
                                    .toCompletableFuture());
                    ack(out, t.startTask(id).toCompletableFuture());
                    ack(out, t.updateTaskProgress(id, 50, "half", null).toCompletableFuture());
                    ack(
                            out,
                            t.recordApiCall(id, CallOutcome.SUCCEEDED, Duration.ofMillis(5))
                                    .toCompletableFuture());
                    ack(out, t.recordUsage(id, 100, 20, "m").toCompletableFuture());
                    ack(out, t.completeTask(id).toCompletableFuture());
                }
            });
            th.start();
            workers.add(th);
        }
        for (Thread th : workers) {
            th.join();
        }
    }

    private static void ack(PrintStream out, CompletableFuture<Long> f) {
        print(out, "ACK " + f.join());
    }

    private static void part1(ProgressTracker t, PrintStream out) {
        t.addTask("plan", "Plan", TaskType.UPGRADE_PLAN, null);
        t.addTask("cp", "Control plane", TaskType.UPGRADE_STEP, "plan");
        t.addTask("ng-1", "Node group 1", TaskType.UPGRADE_STEP, "plan");
        t.addTask("ng-2", "Node group 2", TaskType.UPGRADE_STEP, "plan");
        t.addTask("validate", "Validate", TaskType.VALIDATION, null);
        t.startUpgrade("control-plane");
        t.startTask("plan");
        t.startTask("cp");
        t.updateTaskProgress("cp", 40, "api server", java.util.Map.of("version", "1.30"));
        t.completeTask("cp");
        t.setCurrentPhase("data-plane");
        t.startTask("ng-1");
        t.updateTaskProgress("ng-1", 25, "draining", null);
        t.failTask("ng-1", "PDB blocked drain");
        t.startTask("ng-1");
        t.updateTaskStage("ng-1", "evict-pods", 30);
        t.recordApiCall("ng-1", CallOutcome.FAILED, Duration.ofMillis(300));
        t.recordRateLimit("ng-1", Duration.ofSeconds(1));
        t.recordUsage("ng-1", 800, 200, "m");
        t.setQuality("cp", 0.9);
        long last = t.updateTaskProgress("ng-1", 60, "retry draining", null)
                .toCompletableFuture()
                .join();
        print(out, "ACK " + last);
        print(out, "STATE " + WireFormat.toJson(t.snapshot()));
    }

    private static void part2(ProgressTracker t, PrintStream out) {
        print(out, "STATE " + WireFormat.toJson(t.snapshot()));
        TaskView ng1 = t.task("ng-1");
        if (ng1.status() != TaskStatus.IN_PROGRESS
                || ng1.attempt() != 2
                || !"evict-pods".equals(ng1.stage())
                || ng1.usage().apiCallsFailed() != 1
                || ng1.usage().rateLimitDelayMillis() != 1000
                || ng1.usage().tokensIn() != 800
                || !Double.valueOf(0.9).equals(t.task("cp").usage().quality())) {
            throw new IllegalStateException("resumed task ng-1 is " + ng1);
        }
        ack(out, t.completeTask("ng-1").toCompletableFuture());
        ack(out, t.skipTask("ng-2", "not needed").toCompletableFuture());
        ack(out, t.completeTask("plan").toCompletableFuture());
        ack(out, t.startTask("validate").toCompletableFuture());
        ack(out, t.completeTask("validate").toCompletableFuture());
        ack(out, t.completeUpgrade().toCompletableFuture());
    }
}
