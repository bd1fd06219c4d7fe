package dev.progresstracker.core;

import dev.progresstracker.core.config.ConfigBuilder;
import dev.progresstracker.core.config.ConfigSpec;
import dev.progresstracker.core.config.Setting;
import dev.progresstracker.core.internal.InputChecks;
import dev.progresstracker.core.json.JsonValues;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * How large the inputs of one call may be. The tracker checks them at the call, before it assigns
 * a sequence, so every store accepts every event the tracker accepts; a call over a limit throws
 * {@link IllegalArgumentException} naming the run, the task, the field and the limit, and changes
 * nothing. Part of {@link TrackerConfig}; build with {@link #builder()}, defaults in {@link #defaults()}.
 *
 * <p>Characters: keys (of details and run attributes), names, ids, phases and attribute values
 * must not contain control characters; no text may contain a lone UTF-16 surrogate (UTF-8 cannot
 * carry one). Messages are the exception: they are cut to {@link TrackerConfig#maxMessageLength()}
 * and a lone surrogate in them is replaced by U+FFFD, because they often carry foreign text (an
 * exception's message) the caller cannot vet. A name that is too long is rejected, not cut: it
 * identifies something, and a cut name is one the caller never gave.
 *
 * <p>Each limit is declared once below as a {@link Setting} (default, environment variable, range, doc).
 */
public record EventLimits(
        int maxDetailsBytes,
        int maxDetailsDepth,
        int maxDetailsEntries,
        int maxKeyLength,
        int maxStringLength,
        int maxNameLength,
        int maxAttributes,
        int maxAttributeLength) {

    public static final Setting<Integer> MAX_DETAILS_BYTES = Setting.integer("maxDetailsBytes", 65_536)
            .atLeast(64)
            .bytes()
            .env("TRACKER_MAX_DETAILS_BYTES")
            .doc("UTF-8 bytes of a task's `details` as compact JSON");
    public static final Setting<Integer> MAX_DETAILS_DEPTH = Setting.integer("maxDetailsDepth", 16)
            .range(1, JsonValues.MAX_DEPTH)
            .env("TRACKER_MAX_DETAILS_DEPTH")
            .doc(
                    "levels of maps and lists in `details`, the details map itself being level 1 (what every reader accepts)");
    public static final Setting<Integer> MAX_DETAILS_ENTRIES = Setting.integer("maxDetailsEntries", 4096)
            .atLeast(1)
            .env("TRACKER_MAX_DETAILS_ENTRIES")
            .doc("keys per map and elements per list inside `details`");
    public static final Setting<Integer> MAX_KEY_LENGTH = Setting.integer("maxKeyLength", 256)
            .atLeast(1)
            .env("TRACKER_MAX_KEY_LENGTH")
            .doc("characters of a key (details, run attributes)");
    public static final Setting<Integer> MAX_STRING_LENGTH = Setting.integer("maxStringLength", 32_768)
            .atLeast(1)
            .env("TRACKER_MAX_STRING_LENGTH")
            .doc("characters of a string value inside `details`");
    public static final Setting<Integer> MAX_NAME_LENGTH = Setting.integer("maxNameLength", 512)
            .atLeast(16)
            .env("TRACKER_MAX_NAME_LENGTH")
            .doc("characters of a task name, phase, plan id, cluster name, alert id and alert rule");
    public static final Setting<Integer> MAX_ATTRIBUTES = Setting.integer("maxAttributes", 32)
            .atLeast(0)
            .env("TRACKER_MAX_ATTRIBUTES")
            .doc("run attributes per run");
    public static final Setting<Integer> MAX_ATTRIBUTE_LENGTH = Setting.integer("maxAttributeLength", 256)
            .atLeast(1)
            .env("TRACKER_MAX_ATTRIBUTE_LENGTH")
            .doc("characters of a run attribute's value");

    public static final ConfigSpec<EventLimits> SPEC = ConfigSpec.of(
            EventLimits.class,
            MAX_DETAILS_BYTES,
            MAX_DETAILS_DEPTH,
            MAX_DETAILS_ENTRIES,
            MAX_KEY_LENGTH,
            MAX_STRING_LENGTH,
            MAX_NAME_LENGTH,
            MAX_ATTRIBUTES,
            MAX_ATTRIBUTE_LENGTH);

    /**
     * Bytes of an event's wire JSON besides its free text: field names, numbers, timestamps, the
     * event id, enum names, task type (at most 64 characters) and the ETA block. Measured at about
     * 900; twice that for headroom.
     */
    static final int FIXED_EVENT_BYTES = 2048;

    /**
     * Bytes of the measured blocks besides the stage name: a task's {@code usage} block and
     * {@code stageProgress}, the ETA's {@code estimatedCompletion} and {@code factors}. Measured at
     * about 650; twice that for headroom.
     */
    static final int MEASURE_BYTES = 1300;
    /**
     * Worst JSON bytes per character of any text: 6, for a control character escaped as {@code
     * \u001f} and for half of a character outside the BMP, which the wire format writes as an
     * escaped surrogate pair (12 bytes for 2 characters).
     */
    static final int NAME_BYTES_PER_CHAR = 6;

    static final int TEXT_BYTES_PER_CHAR = 6;

    public EventLimits {
        SPEC.validate(
                maxDetailsBytes,
                maxDetailsDepth,
                maxDetailsEntries,
                maxKeyLength,
                maxStringLength,
                maxNameLength,
                maxAttributes,
                maxAttributeLength);
    }

    public static EventLimits defaults() {
        return SPEC.defaults();
    }

    public static Builder builder() {
        return new Builder(null);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Defaults overridden by the environment variables of the settings above. */
    public static EventLimits fromEnvironment(Function<String, String> env) {
        return SPEC.fromEnvironment(env);
    }

    /** Same as {@link #fromEnvironment(Function)} over a map. */
    public static EventLimits fromEnvironment(Map<String, String> env) {
        return SPEC.fromEnvironment(env);
    }

    /**
     * Checks {@code details} exactly as the tracker checks them at a call and returns the copy it
     * would keep: unmodifiable at every level, key order kept. Lets a caller vet details before a
     * call (for example details built from untrusted input) and costs what the call's own check
     * costs. Thread-safe.
     *
     * @throws IllegalArgumentException naming the path inside {@code details}, the problem and the
     *                                  limit, e.g. {@code details.pods[3] has a string of ... characters}
     */
    public Map<String, Object> checkDetails(Map<String, ?> details) {
        Objects.requireNonNull(details, "details must not be null");
        return InputChecks.checkedDetails(details, this);
    }

    /**
     * The largest wire JSON, in UTF-8 bytes, of any event these limits (and messages of
     * {@code maxMessageLength} characters) let through: every text at its limit in its worst
     * characters, details at {@link #maxDetailsBytes}. A tracker refuses to start on a store whose
     * {@code maxEventBytes()} is smaller.
     */
    public long worstCaseEventBytes(int maxMessageLength) {
        long name = (long) maxNameLength * NAME_BYTES_PER_CHAR;
        long taskId = (long) RunIds.MAX_TASK_ID_LENGTH * NAME_BYTES_PER_CHAR;
        long message = (long) maxMessageLength * TEXT_BYTES_PER_CHAR;
        // Every event: run id, cluster name and plan id in the header, the phase in the run block.
        long common = FIXED_EVENT_BYTES + MEASURE_BYTES + RunIds.MAX_RUN_ID_LENGTH + 3 * name;
        long task =
                2 * taskId + 2 * name + message + maxDetailsBytes; // task id, parent id, name, stage, message, details
        long started = (long) maxAttributes
                * ((long) maxKeyLength * NAME_BYTES_PER_CHAR
                        + (long) maxAttributeLength * NAME_BYTES_PER_CHAR
                        + 6); // "k":"v",
        long runText = Math.max(message, name); // failure message, reason or previous phase
        long alert = 2 * name + message + taskId; // alert id, rule, message, task id
        return common + Math.max(Math.max(task, started), Math.max(runText, alert));
    }

    /** Builder with the defaults; each setter checks its value. */
    public static final class Builder extends ConfigBuilder<EventLimits, Builder> {
        /** A builder holding {@code from}'s values, or the defaults when it is null. */
        private Builder(EventLimits from) {
            super(SPEC, from);
        }

        public Builder maxDetailsBytes(int v) {
            return set(MAX_DETAILS_BYTES, v);
        }

        public Builder maxDetailsDepth(int v) {
            return set(MAX_DETAILS_DEPTH, v);
        }

        public Builder maxDetailsEntries(int v) {
            return set(MAX_DETAILS_ENTRIES, v);
        }

        public Builder maxKeyLength(int v) {
            return set(MAX_KEY_LENGTH, v);
        }

        public Builder maxStringLength(int v) {
            return set(MAX_STRING_LENGTH, v);
        }

        public Builder maxNameLength(int v) {
            return set(MAX_NAME_LENGTH, v);
        }

        public Builder maxAttributes(int v) {
            return set(MAX_ATTRIBUTES, v);
        }

        public Builder maxAttributeLength(int v) {
            return set(MAX_ATTRIBUTE_LENGTH, v);
        }
    }
}
