/**
 * The events the progress tracker publishes on Amazon EventBridge, for consumers (Lambda functions,
 * services reading an SQS target): the {@link dev.progresstracker.events.TrackerEvent} records of every
 * detail-type, their enumerated values, {@link dev.progresstracker.events.TrackerEvents} to read an
 * EventBridge envelope or a bare detail, and the JSON Schemas ({@link dev.progresstracker.events.EventSchemas}).
 * Jackson only; depends on no other Progress Tracker module. The tracker's producer builds on the
 * detail-type names, enumerated values and original fields defined here. Everything in
 * {@code dev.progresstracker.events.internal} is implementation detail.
 */
package dev.progresstracker.events;
