package dev.progresstracker.core.spi;

/**
 * Reports the health of one output; contributed by each output module (Guice:
 * {@code Multibinder<HealthCheck>}) and combined by {@link dev.progresstracker.core.HealthReport}.
 * Must be cheap and must not block: it is called on every probe, from any thread.
 */
@FunctionalInterface
public interface HealthCheck {

    OutputHealth check();
}
