package dev.progresstracker.examples.terminal;

import dev.progresstracker.core.Eta;
import dev.progresstracker.core.ProgressSummary;
import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.state.RunInfo;

/**
 * What the terminal shows of a run, whether it comes from a tracker in this process (the demo)
 * or from a WebSocket stream (the watcher).
 *
 * @param eta           null when not known
 * @param tasksPerMinute finished tasks per minute since the run started, NaN when not known
 */
public record ProgressLine(
        String runId,
        RunStatus status,
        String phase,
        double percent,
        Eta eta,
        int doneTasks,
        int totalTasks,
        double tasksPerMinute) {

    public static ProgressLine of(ProgressSummary s) {
        int done = s.count(TaskStatus.COMPLETED) + s.count(TaskStatus.SKIPPED) + s.count(TaskStatus.CANCELLED);
        double minutes = s.elapsed().toMillis() / 60_000.0;
        return new ProgressLine(
                s.runId(),
                s.status(),
                s.currentPhase(),
                s.percent(),
                s.eta().orElse(null),
                done,
                s.totalTasks(),
                minutes > 0 ? s.count(TaskStatus.COMPLETED) / minutes : Double.NaN);
    }

    public static ProgressLine of(RunInfo run, int doneTasks, int totalTasks, double tasksPerMinute) {
        return new ProgressLine(
                run.runId(),
                run.status(),
                run.phase(),
                run.percent(),
                run.eta(),
                doneTasks,
                totalTasks,
                tasksPerMinute);
    }

    /** e.g. {@code data-plane · 7/14 tasks · 3.2 tasks/min · ETA 4m10s (3m20s–5m30s, 80%)}. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(phase == null ? "-" : phase)
                .append(" · ")
                .append(doneTasks)
                .append('/')
                .append(totalTasks)
                .append(" tasks");
        if (!Double.isNaN(tasksPerMinute)) {
            b.append(String.format(" · %.1f tasks/min", tasksPerMinute));
        }
        if (status.isFinished()) {
            b.append(" · ").append(status);
        } else if (eta != null) {
            b.append(" · ETA ").append(human(eta.seconds()));
            if (eta.high() > eta.low()) {
                b.append(" (")
                        .append(human(eta.low()))
                        .append('–')
                        .append(human(eta.high()))
                        .append(String.format(", %.0f%%)", eta.confidence() * 100));
            }
        }
        return b.toString();
    }

    static String human(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return (seconds / 60) + "m" + String.format("%02ds", seconds % 60);
        }
        return (seconds / 3600) + "h" + String.format("%02dm", (seconds % 3600) / 60);
    }
}
