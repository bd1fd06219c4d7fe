/** The per-tracker observer behind {@code TrackerAnalytics}; not API, may change without notice. */
package dev.progresstracker.analytics.internal;
