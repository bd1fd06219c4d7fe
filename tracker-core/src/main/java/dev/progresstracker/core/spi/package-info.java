/**
 * What output modules implement: stores, sinks, the callback registry and the analytics hook
 * ({@link dev.progresstracker.core.spi.AnalyticsHook}, {@link dev.progresstracker.core.spi.RunObserver}).
 * Implementations prove themselves with the contract kits of {@code tracker-test}.
 */
package dev.progresstracker.core.spi;
