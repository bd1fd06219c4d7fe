package dev.progresstracker.core.spi;

/**
 * Metrics in a text format a scraper reads (Prometheus' text exposition, say), served by the
 * dashboard server at {@code /metrics} when one is given. Called from HTTP threads; must be thread-safe.
 */
public interface MetricsExposition {

    /** The HTTP content type of {@link #scrape()}, e.g. {@code text/plain; version=0.0.4; charset=utf-8}. */
    String contentType();

    /** The current values. */
    String scrape();
}
