/**
 * A reusable append-only record journal with CRC32C framing, group-commit fsync, segment rotation,
 * replay from an index and crash-safe recovery (torn tails cut and quarantined). Entry point:
 * {@link dev.progresstracker.journal.Journal}. Depends on no other Progress Tracker module; the file
 * store and the EventBridge outbox build on it. Everything in {@code dev.progresstracker.journal.internal}
 * is implementation detail.
 */
package dev.progresstracker.journal;
