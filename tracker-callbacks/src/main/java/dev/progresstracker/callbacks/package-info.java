/**
 * {@link dev.progresstracker.callbacks.CallbackManager}: in-process listeners for tracker events,
 * run off the caller's thread with per-listener ordering, timeouts, failure isolation and metrics.
 * Configuration: {@link dev.progresstracker.callbacks.CallbackConfig}. Guice wiring lives in
 * {@code dev.progresstracker.callbacks.guice}; everything under {@code internal} may change.
 */
package dev.progresstracker.callbacks;
