/** Guice wiring of the analytics ({@code AnalyticsModule}); the only package here that uses Guice. */
package dev.progresstracker.analytics.guice;
