package dev.progresstracker.websocket.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.progresstracker.core.HealthReport;
import dev.progresstracker.core.spi.HealthCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /health} (and {@code /health/ready}): the {@link HealthReport} as JSON, 200 while no output
 * is DOWN, else 503 — a readiness probe. {@code /health/live}: the same JSON, always 200 — a liveness
 * probe, which should restart the process only when it no longer answers at all.
 */
public final class HealthHandler implements HttpHandler {

    private final Supplier<? extends List<? extends HealthCheck>> checks;

    public HealthHandler(Supplier<? extends List<? extends HealthCheck>> checks) {
        this.checks = checks;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!HttpReplies.allowGet(ex)) {
                return;
            }
            String path = ex.getRequestURI().getPath();
            boolean live = path.equals("/health/live");
            if (!live && !path.equals("/health") && !path.equals("/health/ready")) {
                HttpReplies.send(ex, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            HealthReport report = HealthReport.of(checks.get());
            HttpReplies.send(
                    ex,
                    live || report.ready() ? 200 : 503,
                    "application/json",
                    report.toJson().getBytes(StandardCharsets.UTF_8));
        }
    }
}
