/**
 * The tracker facade ({@link dev.progresstracker.core.ProgressTracker}, {@link dev.progresstracker.core.TrackerFactory}) and the immutable values of its API. Nulls are rejected unless a parameter says it may be null.
 */
package dev.progresstracker.core;
