/**
 * The ETA seam: {@link dev.progresstracker.core.eta.EtaEstimator}, what it observes
 * ({@link dev.progresstracker.core.eta.EtaSample}) and the default
 * {@link dev.progresstracker.core.eta.LinearEstimator}. Estimators beyond linear (EMA, sliding window,
 * adaptive) live in {@code tracker-analytics}. An estimator is called under the tracker's lock.
 */
package dev.progresstracker.core.eta;
