/**
 * A consumer of the tracker's EventBridge events built on tracker-events alone (no tracker, no AWS SDK,
 * no Lambda library): {@link dev.progresstracker.examples.consumer.UpgradeEventsHandler}.
 */
package dev.progresstracker.examples.consumer;
