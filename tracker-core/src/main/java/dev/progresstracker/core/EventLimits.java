package dev.progresstracker.core;

import dev.progresstracker.core.json.JsonValues;

import java.util.Map;
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
 * @param maxDetailsBytes    UTF-8 bytes of a task's {@code details} as compact JSON; default {@value #DEFAULT_MAX_DETAILS_BYTES}
 * @param maxDetailsDepth    levels of maps and lists in {@code details}, the details map itself being level 1; default {@value #DEFAULT_MAX_DETAILS_DEPTH}, at most 64
 * @param maxDetailsEntries  keys per map and elements per list inside {@code details}; default {@value #DEFAULT_MAX_DETAILS_ENTRIES}
 * @param maxKeyLength       characters of a key (details, run attributes), at least 1; default {@value #DEFAULT_MAX_KEY_LENGTH}
 * @param maxStringLength    characters of a string value inside {@code details}; default {@value #DEFAULT_MAX_STRING_LENGTH}
 * @param maxNameLength      characters of a task name, phase, plan id, cluster name, alert id and alert rule; default {@value #DEFAULT_MAX_NAME_LENGTH}
 * @param maxAttributes      run attributes per run; default {@value #DEFAULT_MAX_ATTRIBUTES}
 * @param maxAttributeLength characters of a run attribute's value; default {@value #DEFAULT_MAX_ATTRIBUTE_LENGTH}
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

    public static final int DEFAULT_MAX_DETAILS_BYTES = 65_536;
    public static final int DEFAULT_MAX_DETAILS_DEPTH = 16;
    public static final int DEFAULT_MAX_DETAILS_ENTRIES = 4096;
    public static final int DEFAULT_MAX_KEY_LENGTH = 256;
    public static final int DEFAULT_MAX_STRING_LENGTH = 32_768;
    public static final int DEFAULT_MAX_NAME_LENGTH = 512;
    public static final int DEFAULT_MAX_ATTRIBUTES = 32;
    public static final int DEFAULT_MAX_ATTRIBUTE_LENGTH = 256;

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

    private static final EventLimits DEFAULTS = builder().build();

    public EventLimits {
        atLeast("maxDetailsBytes", maxDetailsBytes, 64);
        atLeast("maxDetailsDepth", maxDetailsDepth, 1);
        atMost("maxDetailsDepth", maxDetailsDepth, JsonValues.MAX_DEPTH); // what every reader accepts
        atLeast("maxDetailsEntries", maxDetailsEntries, 1);
        atLeast("maxKeyLength", maxKeyLength, 1);
        atLeast("maxStringLength", maxStringLength, 1);
        atLeast("maxNameLength", maxNameLength, 16);
        atLeast("maxAttributes", maxAttributes, 0);
        atLeast("maxAttributeLength", maxAttributeLength, 1);
    }

    public static EventLimits defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().maxDetailsBytes(maxDetailsBytes).maxDetailsDepth(maxDetailsDepth)
                .maxDetailsEntries(maxDetailsEntries).maxKeyLength(maxKeyLength).maxStringLength(maxStringLength)
                .maxNameLength(maxNameLength).maxAttributes(maxAttributes).maxAttributeLength(maxAttributeLength);
    }

    /**
     * Defaults overridden by {@code TRACKER_MAX_DETAILS_BYTES}, {@code TRACKER_MAX_DETAILS_DEPTH},
     * {@code TRACKER_MAX_DETAILS_ENTRIES}, {@code TRACKER_MAX_KEY_LENGTH}, {@code TRACKER_MAX_STRING_LENGTH},
     * {@code TRACKER_MAX_NAME_LENGTH}, {@code TRACKER_MAX_ATTRIBUTES}, {@code TRACKER_MAX_ATTRIBUTE_LENGTH}.
     */
    public static EventLimits fromEnvironment(Function<String, String> env) {
        Builder b = builder();
        EnvSettings s = new EnvSettings(env);
        s.integer("TRACKER_MAX_DETAILS_BYTES").ifPresent(b::maxDetailsBytes);
        s.integer("TRACKER_MAX_DETAILS_DEPTH").ifPresent(b::maxDetailsDepth);
        s.integer("TRACKER_MAX_DETAILS_ENTRIES").ifPresent(b::maxDetailsEntries);
        s.integer("TRACKER_MAX_KEY_LENGTH").ifPresent(b::maxKeyLength);
        s.integer("TRACKER_MAX_STRING_LENGTH").ifPresent(b::maxStringLength);
        s.integer("TRACKER_MAX_NAME_LENGTH").ifPresent(b::maxNameLength);
        s.integer("TRACKER_MAX_ATTRIBUTES").ifPresent(b::maxAttributes);
        s.integer("TRACKER_MAX_ATTRIBUTE_LENGTH").ifPresent(b::maxAttributeLength);
        return b.build();
    }

    /** Same as {@link #fromEnvironment(Function)} over a map. */
    public static EventLimits fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env::get);
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
        long task = 2 * taskId + 2 * name + message + maxDetailsBytes; // task id, parent id, name, stage, message, details
        long started = (long) maxAttributes * ((long) maxKeyLength * NAME_BYTES_PER_CHAR
                + (long) maxAttributeLength * NAME_BYTES_PER_CHAR + 6);  // "k":"v",
        long runText = Math.max(message, name);                      // failure message, reason or previous phase
        long alert = 2 * name + message + taskId;                   // alert id, rule, message, task id
        return common + Math.max(Math.max(task, started), Math.max(runText, alert));
    }

    private static void atLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be at least " + min + ", got " + value);
        }
    }

    private static void atMost(String field, int value, int max) {
        if (value > max) {
            throw new IllegalArgumentException(field + " must be at most " + max + ", got " + value);
        }
    }

    /** Builder with the documented defaults; {@link #build()} validates. */
    public static final class Builder {
        private int maxDetailsBytes = DEFAULT_MAX_DETAILS_BYTES;
        private int maxDetailsDepth = DEFAULT_MAX_DETAILS_DEPTH;
        private int maxDetailsEntries = DEFAULT_MAX_DETAILS_ENTRIES;
        private int maxKeyLength = DEFAULT_MAX_KEY_LENGTH;
        private int maxStringLength = DEFAULT_MAX_STRING_LENGTH;
        private int maxNameLength = DEFAULT_MAX_NAME_LENGTH;
        private int maxAttributes = DEFAULT_MAX_ATTRIBUTES;
        private int maxAttributeLength = DEFAULT_MAX_ATTRIBUTE_LENGTH;

        private Builder() {
        }

        public Builder maxDetailsBytes(int v) {
            this.maxDetailsBytes = v;
            return this;
        }

        public Builder maxDetailsDepth(int v) {
            this.maxDetailsDepth = v;
            return this;
        }

        public Builder maxDetailsEntries(int v) {
            this.maxDetailsEntries = v;
            return this;
        }

        public Builder maxKeyLength(int v) {
            this.maxKeyLength = v;
            return this;
        }

        public Builder maxStringLength(int v) {
            this.maxStringLength = v;
            return this;
        }

        public Builder maxNameLength(int v) {
            this.maxNameLength = v;
            return this;
        }

        public Builder maxAttributes(int v) {
            this.maxAttributes = v;
            return this;
        }

        public Builder maxAttributeLength(int v) {
            this.maxAttributeLength = v;
            return this;
        }

        public EventLimits build() {
            return new EventLimits(maxDetailsBytes, maxDetailsDepth, maxDetailsEntries, maxKeyLength, maxStringLength,
                    maxNameLength, maxAttributes, maxAttributeLength);
        }
    }
}
