package dev.progresstracker.examples.consumer;

import dev.progresstracker.events.Envelope;
import dev.progresstracker.events.RunEvent;
import dev.progresstracker.events.TaskEvent;
import dev.progresstracker.events.TrackerEvent;
import dev.progresstracker.events.TrackerEventException;
import dev.progresstracker.events.TrackerEvents;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A consumer of the tracker's EventBridge events, written as a Lambda handler would be but with no
 * Lambda dependency: {@link #handleRequest} takes the envelope JSON a rule hands its target (a
 * Lambda's input, an SQS message's body) and tells the on-call channel about failed tasks and
 * completed upgrades. Everything else is ignored, including detail-types newer than this consumer.
 *
 * <p>EventBridge delivers at least once, so events are de-duplicated on the tracker's {@code eventId}
 * (the last {@value #REMEMBERED_EVENTS} per handler instance). Input that is not a tracker event is
 * rejected, not thrown: retrying it cannot succeed, so a Lambda should not be made to retry it.
 *
 * <p>Thread-safe (Lambda runs one invocation per instance at a time; a service may share one).
 */
public final class UpgradeEventsHandler {

    /** How many event ids are remembered for de-duplication. */
    public static final int REMEMBERED_EVENTS = 10_000;

    /** Where notifications go (an SNS topic, a chat channel); must be thread-safe. */
    public interface Notifier {
        void send(String subject, String text);
    }

    /** What one invocation did. */
    public record Outcome(Kind kind, String detail) {
        public enum Kind {
            NOTIFIED,
            IGNORED,
            DUPLICATE,
            REJECTED
        }
    }

    private final Notifier notifier;
    private final Map<UUID, Boolean> recent = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
            return size() > REMEMBERED_EVENTS;
        }
    });

    public UpgradeEventsHandler(Notifier notifier) {
        this.notifier = Objects.requireNonNull(notifier, "notifier");
    }

    /** Handles one EventBridge envelope (JSON text). */
    public Outcome handleRequest(String envelopeJson) {
        Envelope envelope;
        try {
            envelope = TrackerEvents.readEnvelope(envelopeJson);
        } catch (TrackerEventException e) {
            return new Outcome(Outcome.Kind.REJECTED, e.getMessage());
        }
        TrackerEvent event = envelope.detail();
        if (recent.putIfAbsent(event.eventId(), Boolean.TRUE) != null) {
            return new Outcome(Outcome.Kind.DUPLICATE, event.eventId().toString());
        }
        String cluster = event.header().clusterName() == null
                ? "(no cluster)"
                : event.header().clusterName();
        if (event instanceof TaskEvent.TaskFailed failed) {
            var task = failed.task();
            String text = "Task '" + task.name() + "' (" + task.taskId() + ", " + task.typeName() + ", attempt "
                    + task.attempt() + ") failed in run " + event.runId() + ": "
                    + (task.message() == null ? "no message" : task.message());
            return notify("[" + cluster + "] task failed: " + task.taskId(), text);
        }
        if (event instanceof RunEvent.UpgradeCompleted completed) {
            var run = completed.run();
            String took = run.startedAt() == null || run.finishedAt() == null
                    ? ""
                    : " in "
                            + Duration.between(run.startedAt(), run.finishedAt())
                                    .toSeconds() + " s";
            String text = "Upgrade run " + event.runId() + " completed" + took + " (phase " + run.phase() + ").";
            return notify("[" + cluster + "] upgrade completed", text);
        }
        return new Outcome(Outcome.Kind.IGNORED, event.detailType());
    }

    private Outcome notify(String subject, String text) {
        notifier.send(subject, text);
        return new Outcome(Outcome.Kind.NOTIFIED, subject);
    }
}
