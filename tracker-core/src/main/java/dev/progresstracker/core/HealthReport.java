package dev.progresstracker.core;

import dev.progresstracker.core.spi.HealthCheck;
import dev.progresstracker.core.spi.OutputHealth;
import dev.progresstracker.core.spi.StoreHealth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The health of every output at one moment: one call for an operator, and what the dashboard's
 * {@code /health} endpoint serves. {@link #status()} is the worst output's status; {@link #ready()}
 * is false when any output is {@code DOWN} (a readiness probe should then fail).
 *
 * @param status  the worst status among {@code outputs} ({@code UP} when there are none)
 * @param outputs one entry per check, in the order given
 */
public record HealthReport(OutputHealth.Status status, List<OutputHealth> outputs) {

    public HealthReport {
        Objects.requireNonNull(status, "status must not be null");
        outputs = List.copyOf(outputs);
    }

    /** Runs every check; one that throws is reported {@code DOWN} with its exception, the others still run. */
    public static HealthReport of(Collection<? extends HealthCheck> checks) {
        List<OutputHealth> out = new ArrayList<>();
        OutputHealth.Status worst = OutputHealth.Status.UP;
        for (HealthCheck c : checks) {
            OutputHealth h;
            try {
                h = Objects.requireNonNull(c.check(), "health check returned null");
            } catch (RuntimeException e) {
                h = OutputHealth.down("health-check", "a health check failed: " + e);
            }
            out.add(h);
            if (h.status().compareTo(worst) > 0) {
                worst = h.status();
            }
        }
        return new HealthReport(worst, out);
    }

    /** The store's writes of {@code tracker}'s run: WRITING is UP, RETRYING DEGRADED, REFUSING DOWN. */
    public static HealthCheck storeCheck(ProgressTracker tracker) {
        Objects.requireNonNull(tracker, "tracker must not be null");
        return () -> {
            StoreHealth s = tracker.storeHealth();
            return switch (s.state()) {
                case WRITING -> OutputHealth.up("store", "writing");
                case RETRYING ->
                    OutputHealth.degraded(
                            "store",
                            "retrying since " + s.since() + ": " + s.problem() + " (" + s.backlogEvents()
                                    + " events waiting)");
                case REFUSING -> OutputHealth.down("store", "refusing since " + s.since() + ": " + s.problem());
            };
        };
    }

    /** No output is {@code DOWN}. */
    public boolean ready() {
        return status != OutputHealth.Status.DOWN;
    }

    /** {@code {"status":"UP","outputs":[{"output":"store","status":"UP","detail":"writing"}, …]}}. */
    public String toJson() {
        StringBuilder b = new StringBuilder("{\"status\":\"").append(status).append("\",\"outputs\":[");
        for (int i = 0; i < outputs.size(); i++) {
            OutputHealth h = outputs.get(i);
            b.append(i == 0 ? "" : ",")
                    .append("{\"output\":")
                    .append(quote(h.output()))
                    .append(",\"status\":\"")
                    .append(h.status())
                    .append("\",\"detail\":")
                    .append(quote(h.detail()))
                    .append('}');
        }
        return b.append("]}").toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
