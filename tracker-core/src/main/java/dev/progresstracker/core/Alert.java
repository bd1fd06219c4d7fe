package dev.progresstracker.core;

import java.util.Objects;

/**
 * An alert raised or cleared by an analytics rule or by the caller.
 *
 * @param alertId  stable de-duplication key (e.g. {@code stalled:drain-ng-1}); one raise per id until cleared
 * @param rule     the rule that raised it (e.g. {@code stalled-task})
 * @param severity how urgent it is
 * @param message  human-readable text
 * @param taskId   the task concerned, or null for the whole run
 */
public record Alert(String alertId, String rule, Severity severity, String message, String taskId) {

    /** How urgent an alert is. */
    public enum Severity {
        INFO,
        WARNING,
        CRITICAL
    }

    public Alert {
        if (alertId == null || alertId.isBlank()) {
            throw new IllegalArgumentException("alertId must not be blank");
        }
        if (rule == null || rule.isBlank()) {
            throw new IllegalArgumentException("alert rule must not be blank (alert " + alertId + ")");
        }
        Objects.requireNonNull(severity, "severity");
        message = message == null ? "" : message;
    }
}
