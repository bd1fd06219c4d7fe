/**
 * A reusable append-only record journal with CRC32C framing, group-commit fsync, segment rotation,
 * replay from an index and crash-safe recovery (torn tails cut and quarantined). Entry point:
 * {@link dev.progresstracker.storage.journal.Journal}. The API of this package is stable: the
 * EventBridge outbox builds on it.
 */
package dev.progresstracker.storage.journal;
