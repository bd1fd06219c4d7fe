package dev.progresstracker.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.progresstracker.core.RunView;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.RunEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.events.DetailType;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The snake_case detail fields the original Python tracker published, so EventBridge rules written
 * for it keep matching: {@code upgrade_id}, {@code cluster_name}, {@code phase}, {@code task_id},
 * {@code task_name}, {@code error_message}, {@code duration}. Only the seven detail types the original
 * published carry them (a rule keyed on one of them must not start matching a type the original never
 * sent), each with exactly the fields the original gave that type, written even when null as the
 * original did. Readers ignore them: they repeat camelCase fields of the same event.
 *
 * <p>Stateless and thread-safe.
 */
public final class OriginalFields {

    /**
     * The detail types the original published, with its fields for each, in its order: tracker-events'
     * {@link DetailType#originalFields()}, the one list consumers and this writer share.
     */
    public static final Map<EventType, List<String>> BY_TYPE = byType();

    /** Every field name, for readers and tests. */
    public static final Set<String> NAMES =
            Set.of("upgrade_id", "cluster_name", "phase", "task_id", "task_name", "error_message", "duration");

    private static final Set<EventType> TYPES = EnumSet.copyOf(BY_TYPE.keySet());

    private OriginalFields() {}

    private static Map<EventType, List<String>> byType() {
        Map<EventType, List<String>> m = new EnumMap<>(EventType.class);
        for (EventType t : EventType.values()) {
            if (t.detailType().isOriginal()) {
                m.put(t, t.detailType().originalFields());
            }
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Whether events of {@code type} carry the original's fields. */
    public static boolean appliesTo(EventType type) {
        return TYPES.contains(type);
    }

    /** Writes the original's fields of {@code event} into the open object of {@code g}; nothing for other types. */
    static void write(JsonGenerator g, ProgressEvent event) throws IOException {
        if (!appliesTo(event.type())) {
            return;
        }
        RunView run = event.run();
        nullable(g, "upgrade_id", event.header().runId());
        nullable(g, "cluster_name", event.header().clusterName());
        if (event instanceof TaskEvent te) {
            TaskView t = te.task();
            nullable(g, "task_id", t.taskId());
            nullable(g, "task_name", t.name());
            if (event.type() == EventType.TASK_COMPLETED) {
                nullable(g, "duration", pythonDuration(t.startedAt(), t.finishedAt()));
            } else if (event.type() == EventType.TASK_FAILED) {
                nullable(g, "error_message", t.message());
            }
        } else if (event instanceof RunEvent.UpgradeCompleted) {
            nullable(g, "duration", pythonDuration(run.startedAt(), run.finishedAt()));
        } else if (event instanceof RunEvent.UpgradeFailed uf) {
            nullable(g, "error_message", uf.message());
        } else {
            // upgrade.started and upgrade.phase_changed: the phase the run is in now.
            nullable(g, "phase", run.phase());
        }
    }

    /**
     * The time from {@code start} to {@code end} as the original wrote it: Python's
     * {@code str(timedelta)} ({@code "0:05:23"}, {@code "1:02:03.250000"}, {@code "1 day, 0:00:04"}),
     * microsecond precision; null when either end is unknown (the original sent null then too).
     */
    public static String pythonDuration(Instant start, Instant end) {
        if (start == null || end == null) {
            return null;
        }
        long micros =
                ChronoUnit.MICROS.between(start.truncatedTo(ChronoUnit.MICROS), end.truncatedTo(ChronoUnit.MICROS));
        return pythonDuration(micros);
    }

    /** {@link #pythonDuration(Instant, Instant)} of a duration. */
    public static String pythonDuration(Duration d) {
        return pythonDuration(Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), d.getNano() / 1_000));
    }

    private static String pythonDuration(long micros) {
        // Python normalizes to days (may be negative), 0 <= seconds < 86400, 0 <= microseconds < 10^6.
        long days = Math.floorDiv(micros, 86_400_000_000L);
        long rest = Math.floorMod(micros, 86_400_000_000L);
        long seconds = rest / 1_000_000L;
        long us = rest % 1_000_000L;
        StringBuilder b = new StringBuilder();
        if (days != 0) {
            b.append(days).append(Math.abs(days) == 1 ? " day, " : " days, ");
        }
        b.append(seconds / 3600)
                .append(':')
                .append(String.format(Locale.ROOT, "%02d:%02d", seconds / 60 % 60, seconds % 60));
        if (us != 0) {
            b.append(String.format(Locale.ROOT, ".%06d", us));
        }
        return b.toString();
    }

    private static void nullable(JsonGenerator g, String field, String value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, value);
        }
    }
}
