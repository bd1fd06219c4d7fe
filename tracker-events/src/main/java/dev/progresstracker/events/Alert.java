package dev.progresstracker.events;

import java.util.Objects;

/**
 * An alert raised or cleared ({@code alert}).
 *
 * @param alertId  stable de-duplication key, e.g. {@code stalled:ng-1}
 * @param rule     the rule that raised it, e.g. {@code stalled-task} (docs/events.md lists the built-in ones; free text)
 * @param severity {@link Severity#UNKNOWN} for a value this version does not know
 * @param message  human-readable text
 * @param taskId   the task concerned, or null for the whole run
 */
public record Alert(String alertId, String rule, Severity severity, String message, String taskId) {

    public Alert {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }
}
