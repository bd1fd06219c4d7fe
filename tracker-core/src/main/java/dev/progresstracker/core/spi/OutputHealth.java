package dev.progresstracker.core.spi;

import java.util.Objects;

/**
 * Whether one output of the tracker (the store, EventBridge, CloudWatch, the WebSocket server, …)
 * does its job right now, for an operator and for liveness/readiness probes.
 *
 * @param output name of the output, e.g. {@code store}, {@code eventbridge}
 * @param status {@link Status#UP}: working; {@link Status#DEGRADED}: working around a problem with
 *               nothing lost (retrying, spilling to an outbox); {@link Status#DOWN}: not doing its job
 * @param detail the state in words; never null
 */
public record OutputHealth(String output, Status status, String detail) {

    /** Ordered from best to worst. */
    public enum Status {
        UP,
        DEGRADED,
        DOWN
    }

    public OutputHealth {
        if (output == null || output.isBlank()) {
            throw new IllegalArgumentException("output must not be blank");
        }
        Objects.requireNonNull(status, "status must not be null (output " + output + ")");
        detail = detail == null ? "" : detail;
    }

    public static OutputHealth up(String output, String detail) {
        return new OutputHealth(output, Status.UP, detail);
    }

    public static OutputHealth degraded(String output, String detail) {
        return new OutputHealth(output, Status.DEGRADED, detail);
    }

    public static OutputHealth down(String output, String detail) {
        return new OutputHealth(output, Status.DOWN, detail);
    }
}
