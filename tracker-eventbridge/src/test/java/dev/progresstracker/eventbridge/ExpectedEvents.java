package dev.progresstracker.eventbridge;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.progresstracker.core.Eta;
import dev.progresstracker.core.RunView;
import dev.progresstracker.core.TaskUsage;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.event.AlertEvent;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.RunEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.json.WireValues;
import dev.progresstracker.events.Alert;
import dev.progresstracker.events.Delivery;
import dev.progresstracker.events.EtaFactors;
import dev.progresstracker.events.EventHeader;
import dev.progresstracker.events.Run;
import dev.progresstracker.events.Task;
import dev.progresstracker.events.TrackerEvent;
import dev.progresstracker.events.Usage;
import java.util.Map;

/**
 * The tracker-events record a consumer must read for a core event, built from the core record's
 * values (not from its JSON), so comparing it with what {@code TrackerEvents} reads from the published
 * detail checks the producer's field names and values against the consumer's.
 */
final class ExpectedEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExpectedEvents() {}

    /** The record of {@code e} as delivered with {@code delivery} ({@code truncated} false). */
    static TrackerEvent of(ProgressEvent e, Delivery delivery) {
        var h = e.header();
        EventHeader header = new EventHeader(
                "1.0", h.eventId(), h.runId(), h.sequence(), h.time(), h.clusterName(), h.planId(), false, delivery);
        Run run = run(e.run());
        if (e instanceof TaskEvent te) {
            Task task = task(te.task());
            return switch (e.type()) {
                case TASK_ADDED -> new dev.progresstracker.events.TaskEvent.TaskAdded(header, run, task);
                case TASK_STARTED -> new dev.progresstracker.events.TaskEvent.TaskStarted(header, run, task);
                case TASK_PROGRESS -> new dev.progresstracker.events.TaskEvent.TaskProgressed(header, run, task);
                case TASK_COMPLETED -> new dev.progresstracker.events.TaskEvent.TaskCompleted(header, run, task);
                case TASK_FAILED -> new dev.progresstracker.events.TaskEvent.TaskFailed(header, run, task);
                case TASK_PAUSED -> new dev.progresstracker.events.TaskEvent.TaskPaused(header, run, task);
                case TASK_RESUMED -> new dev.progresstracker.events.TaskEvent.TaskResumed(header, run, task);
                case TASK_CANCELLED -> new dev.progresstracker.events.TaskEvent.TaskCancelled(header, run, task);
                case TASK_SKIPPED -> new dev.progresstracker.events.TaskEvent.TaskSkipped(header, run, task);
                case TASK_USAGE -> new dev.progresstracker.events.TaskEvent.TaskUsageRecorded(header, run, task);
                default -> throw new AssertionError("not a task type: " + e.type());
            };
        }
        if (e instanceof AlertEvent ae) {
            Alert alert = alert(ae.alert());
            return e.type() == EventType.ALERT_RAISED
                    ? new dev.progresstracker.events.AlertEvent.AlertRaised(header, run, alert)
                    : new dev.progresstracker.events.AlertEvent.AlertCleared(header, run, alert);
        }
        if (e instanceof RunEvent.UpgradeStarted x) {
            return new dev.progresstracker.events.RunEvent.UpgradeStarted(header, run, x.attributes());
        }
        if (e instanceof RunEvent.UpgradeFailed x) {
            return new dev.progresstracker.events.RunEvent.UpgradeFailed(header, run, x.message());
        }
        if (e instanceof RunEvent.UpgradeCancelled x) {
            return new dev.progresstracker.events.RunEvent.UpgradeCancelled(header, run, x.reason());
        }
        if (e instanceof RunEvent.PhaseChanged x) {
            return new dev.progresstracker.events.RunEvent.PhaseChanged(header, run, x.previousPhase());
        }
        return new dev.progresstracker.events.RunEvent.UpgradeCompleted(header, run);
    }

    private static Run run(RunView r) {
        return new Run(
                WireValues.of(r.status()),
                r.phase(),
                r.percent(),
                r.eta() == null ? null : eta(r.eta()),
                r.startedAt(),
                r.finishedAt());
    }

    private static dev.progresstracker.events.Eta eta(Eta e) {
        var f = e.factors();
        return new dev.progresstracker.events.Eta(
                e.seconds(),
                e.low(),
                e.high(),
                e.confidence(),
                e.method(),
                e.estimatedCompletion(),
                f == null
                        ? null
                        : new EtaFactors(
                                f.currentThroughput(),
                                f.averageThroughput(),
                                f.rateLimitImpact(),
                                f.complexityFactor(),
                                f.historicalAccuracy()));
    }

    @SuppressWarnings("unchecked")
    private static Task task(TaskView t) {
        TaskUsage u = t.usage();
        // The agent's details hold whatever Java values it passed; a consumer reads them as Jackson does.
        Map<String, Object> details = JSON.convertValue(t.details(), Map.class);
        return new Task(
                t.taskId(),
                t.name(),
                t.type().name(),
                t.parentTaskId(),
                t.weight(),
                WireValues.of(t.status()),
                t.percent(),
                t.message(),
                details,
                t.startedAt(),
                t.finishedAt(),
                t.attempt(),
                t.stage(),
                t.stage() == null ? null : t.stageProgress(),
                u.isEmpty()
                        ? null
                        : new Usage(
                                u.apiCalls(),
                                u.apiCallsFailed(),
                                u.apiLatencyMillis(),
                                u.rateLimitHits(),
                                u.rateLimitDelayMillis(),
                                u.tokensIn(),
                                u.tokensOut(),
                                u.cost(),
                                u.currency(),
                                u.quality()));
    }

    private static Alert alert(dev.progresstracker.core.Alert a) {
        return new Alert(a.alertId(), a.rule(), WireValues.of(a.severity()), a.message(), a.taskId());
    }
}
