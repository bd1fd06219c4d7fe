package dev.progresstracker.test;

import dev.progresstracker.core.event.Delivery;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A consumer's proof, from the events it received alone, that it missed no lifecycle event and holds
 * the latest progress of every task: reads a delivered stream (any order, duplicates allowed) and
 * reports {@linkplain Report#complete() complete} or exactly what is missing. Works on what every
 * output stamps on each event it delivers ({@link Delivery}): per run, the received events must chain
 * through {@code delivery.previous}; a link to an event not received names a lost event by sequence
 * and type; the events a path skipped between two links must be accounted for by the
 * {@code delivery.superseded} counts of the progress events that replaced them.
 *
 * <pre>{@code
 * DeliveredStreamCheck check = new DeliveredStreamCheck();
 * messages.forEach(m -> check.addJson(m.detail()));   // or add(event)
 * DeliveredStreamCheck.Report report = check.report();
 * assertThat(report.complete()).as(report.toString()).isTrue();
 * }</pre>
 *
 * <p>Only an unfiltered stream can be checked (a rule or listener that selects types sees gaps by
 * design). What no later event can reveal — losses after the last received event of a run — is out
 * of reach of any check; end a run with a terminal event and check after it. Not thread-safe.
 */
public final class DeliveredStreamCheck {

    private final Map<String, TreeMap<Long, ProgressEvent>> runs = new LinkedHashMap<>();
    private final Map<String, Long> startAfter = new HashMap<>();

    /** Adds received events. */
    public DeliveredStreamCheck addAll(Collection<? extends ProgressEvent> events) {
        events.forEach(this::add);
        return this;
    }

    /** Adds one received event; a second copy of a sequence (at-least-once delivery) is ignored. */
    public DeliveredStreamCheck add(ProgressEvent event) {
        Objects.requireNonNull(event, "event");
        runs.computeIfAbsent(event.runId(), k -> new TreeMap<>()).putIfAbsent(event.sequence(), event);
        return this;
    }

    /** Adds one received event as wire JSON (an EventBridge {@code Detail}, a WebSocket {@code event}). */
    public DeliveredStreamCheck addJson(String wireJson) {
        return add(WireFormat.fromJson(wireJson));
    }

    /**
     * The consumer held {@code runId} up to {@code sequence} before this stream (a snapshot, the
     * {@code sinceSequence} of a resume): the stream is checked after it.
     */
    public DeliveredStreamCheck startAfter(String runId, long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be >= 0: " + sequence);
        }
        startAfter.put(Objects.requireNonNull(runId, "runId"), sequence);
        return this;
    }

    /** One event the stream proves missing. {@code type} is null when the stream cannot tell it. */
    public record Missing(String runId, long sequence, EventType type) {
        public boolean lifecycle() {
            return type == null || type.isLifecycle();
        }

        @Override
        public String toString() {
            return "#" + sequence + " " + (type == null ? "(type unknown)" : type.wireName()) + " of run '" + runId
                    + "'";
        }
    }

    /**
     * What the check found.
     *
     * @param missing           events received events point at but that were not received, in order
     * @param unverified        stretches no received event vouches for (after a loss whose predecessors
     *                          are unknown, or where a path restarted), as text
     * @param unreplaced        per run, progress events a path skipped beyond those a received progress
     *                          event says it replaced (dropped on overflow, or replaced by an event not
     *                          received yet): the latest progress of some task is not held
     * @param notStamped        received events without delivery information (they did not come through
     *                          a stamping path, so nothing can be proven about what preceded them)
     */
    public record Report(
            List<Missing> missing, List<String> unverified, Map<String, Long> unreplaced, List<String> notStamped) {

        /** Every lifecycle event was received and the latest progress of every task is held. */
        public boolean complete() {
            return missing.isEmpty() && unverified.isEmpty() && unreplaced.isEmpty() && notStamped.isEmpty();
        }

        /** The missing events that are not {@code task.progress} or {@code task.usage} (or of unknown type). */
        public List<Missing> missingLifecycle() {
            return missing.stream().filter(Missing::lifecycle).toList();
        }

        @Override
        public String toString() {
            if (complete()) {
                return "complete";
            }
            List<String> parts = new ArrayList<>();
            missing.forEach(m -> parts.add("missing " + m));
            parts.addAll(unverified);
            unreplaced.forEach((run, n) -> parts.add(n + " skipped task.progress/task.usage event(s) of run '" + run
                    + "' not replaced by a received one"));
            notStamped.forEach(s -> parts.add("no delivery information: " + s));
            return String.join("; ", parts);
        }
    }

    /** Checks what was added so far. */
    public Report report() {
        List<Missing> missing = new ArrayList<>();
        List<String> unverified = new ArrayList<>();
        Map<String, Long> unreplaced = new LinkedHashMap<>();
        List<String> notStamped = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Long, ProgressEvent>> run : runs.entrySet()) {
            String runId = run.getKey();
            long base = startAfter.getOrDefault(runId, 0L);
            long last = base;
            boolean started = base > 0;
            long skipped = 0;
            long superseded = 0;
            for (ProgressEvent e : run.getValue().tailMap(base, false).values()) {
                Delivery d = e.delivery();
                if (d == null) {
                    notStamped.add("#" + e.sequence() + " " + e.type().wireName() + " of run '" + runId + "'");
                    last = e.sequence();
                    started = true;
                    continue;
                }
                long previous = d.previous();
                if (previous == last) {
                    skipped += e.sequence() - previous - 1;
                } else if (previous > last) {
                    missing.add(new Missing(runId, previous, d.previousType()));
                    if (previous - last > 1 && (started || last > 0)) {
                        unverified.add("run '" + runId + "': events #" + (last + 1) + "…#" + (previous - 1)
                                + " are unknown (lost with #" + previous + ")");
                    }
                    skipped += e.sequence() - previous - 1;
                } else if (previous == 0 && !started) {
                    // The path's first event of the run: the stream starts here.
                } else {
                    unverified.add("run '" + runId + "': the delivery path restarted at #" + e.sequence()
                            + " (previous " + previous + ", last received #" + last + "): #" + (last + 1)
                            + "…#" + (e.sequence() - 1) + " are not vouched for");
                }
                if (!e.type().isLifecycle()) { // task.progress or task.usage
                    superseded = Math.min(Long.MAX_VALUE / 2, superseded + d.superseded());
                }
                last = e.sequence();
                started = true;
            }
            if (skipped > superseded) {
                unreplaced.put(runId, skipped - superseded);
            }
        }
        return new Report(
                List.copyOf(missing),
                List.copyOf(unverified),
                java.util.Collections.unmodifiableMap(unreplaced),
                List.copyOf(notStamped));
    }
}
