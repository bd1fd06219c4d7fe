/**
 * The sealed event model: one record per event type, each carrying the full task and run state after the change.
 */
package dev.progresstracker.core.event;
