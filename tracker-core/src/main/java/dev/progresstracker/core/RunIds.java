package dev.progresstracker.core;

import java.util.regex.Pattern;

/**
 * The rules for run and task ids, shared by the tracker and every store. A run id becomes a
 * directory name, a DynamoDB key and a URL parameter, so it is kept to a safe alphabet.
 */
public final class RunIds {

    /** Longest run id: {@value}. */
    public static final int MAX_RUN_ID_LENGTH = 128;
    /** Longest task id: {@value}. */
    public static final int MAX_TASK_ID_LENGTH = 256;

    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@+=-]*");

    private RunIds() {}

    /**
     * Returns {@code runId} if it is 1..128 characters of {@code [A-Za-z0-9._:@+=-]}, starts with a
     * letter or digit and contains no {@code ..}; otherwise {@link IllegalArgumentException} saying
     * which rule it breaks.
     */
    public static String requireValidRunId(String runId) {
        if (runId == null) {
            throw new IllegalArgumentException("runId must not be null");
        }
        if (runId.isBlank()) {
            throw new IllegalArgumentException("runId must not be blank");
        }
        if (runId.length() > MAX_RUN_ID_LENGTH) {
            throw new IllegalArgumentException(
                    "runId is " + runId.length() + " characters long; at most " + MAX_RUN_ID_LENGTH + " are allowed");
        }
        for (int i = 0; i < runId.length(); i++) {
            char c = runId.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("runId must not contain control characters (found U+"
                        + String.format("%04X", (int) c) + " at index " + i + ")");
            }
            if (c == '/' || c == '\\') {
                throw new IllegalArgumentException("runId '" + runId + "' must not contain path separators");
            }
        }
        if (runId.contains("..")) {
            throw new IllegalArgumentException("runId '" + runId + "' must not contain '..'");
        }
        if (!RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("runId '" + runId + "' may only contain letters, digits and ._:@+=- "
                    + "and must start with a letter or digit");
        }
        return runId;
    }

    /**
     * Returns {@code taskId} if it is 1..256 characters, not blank, without control characters or
     * lone surrogates.
     */
    public static String requireValidTaskId(String taskId) {
        if (taskId == null) {
            throw new IllegalArgumentException("taskId must not be null");
        }
        if (taskId.isBlank()) {
            throw new IllegalArgumentException("taskId must not be blank");
        }
        if (taskId.length() > MAX_TASK_ID_LENGTH) {
            throw new IllegalArgumentException("taskId '" + taskId.substring(0, 32) + "…' is " + taskId.length()
                    + " characters long; at most " + MAX_TASK_ID_LENGTH + " are allowed");
        }
        for (int i = 0; i < taskId.length(); i++) {
            char c = taskId.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("taskId must not contain control characters (index " + i + ")");
            }
            if (Character.isHighSurrogate(c)
                    && i + 1 < taskId.length()
                    && Character.isLowSurrogate(taskId.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(
                        "taskId must not contain a lone UTF-16 surrogate (index " + i + "), which UTF-8 cannot carry");
            }
        }
        return taskId;
    }
}
