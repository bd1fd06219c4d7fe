package dev.progresstracker.websocket.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.progresstracker.core.spi.MetricsExposition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: the exposition's current text, for a Prometheus scraper. */
public final class MetricsHandler implements HttpHandler {

    private final MetricsExposition metrics;

    public MetricsHandler(MetricsExposition metrics) {
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!HttpReplies.allowGet(ex) || !HttpReplies.exactPath(ex, "/metrics")) {
                return;
            }
            HttpReplies.send(ex, 200, metrics.contentType(), metrics.scrape().getBytes(StandardCharsets.UTF_8));
        }
    }
}
