package dev.progresstracker.eventbridge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.test.SampleRuns;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DeferredWrites}: entries the publisher queued for the outbox under its monitor reach the outbox
 * in that order, also when an append fails (injected) and is retried, and a sync covers everything
 * queued before it.
 */
class DeferredWritesTest {

    @TempDir
    Path dir;

    private final EntryMapper mapper = new EntryMapper("eks-upgrade-agent", null, 262_144);
    private final List<PendingEntry> entries = SampleRuns.failure("deferred").stream()
            .limit(6)
            .map(e -> mapper.map(e, 0))
            .toList();

    /** An outbox in memory whose appends fail while {@code failAppends} is positive, counting down. */
    private static final class FlakyOutbox implements Outbox {
        final List<PendingEntry> appended = new ArrayList<>();
        final List<Integer> syncedAt = new ArrayList<>();
        Runnable onAppend = () -> {};
        int failAppends;

        @Override
        public void append(PendingEntry entry) throws IOException {
            if (failAppends > 0) {
                failAppends--;
                throw new IOException("injected: no space left on device");
            }
            onAppend.run();
            appended.add(entry);
        }

        @Override
        public void sync() {
            syncedAt.add(appended.size());
        }

        @Override
        public List<PendingEntry> peek(int max) {
            return appended.subList(0, Math.min(max, appended.size()));
        }

        @Override
        public void ack(int count) {
            appended.subList(0, count).clear();
        }

        @Override
        public long depth() {
            return appended.size();
        }

        @Override
        public void close() {}
    }

    @Test
    void queuedEntriesReachTheOutboxInOrderAndAFailedAppendIsRetriedNotLost() throws IOException {
        FlakyOutbox outbox = new FlakyOutbox();
        try (DeadLetters letters = new DeadLetters(dir.resolve("dead-letter.jsonl"), "bus", "src")) {
            DeferredWrites deferred = new DeferredWrites(outbox, letters, dir);
            entries.subList(0, 3).forEach(deferred::append);
            outbox.failAppends = 1;

            assertThat(deferred.appendQueued()).as("the first append fails").isZero();
            assertThat(deferred.unappended()).isEqualTo(3);
            entries.subList(3, 6).forEach(deferred::append);
            deferred.sync();
            List<Integer> unappendedWhileAppending = new ArrayList<>();
            outbox.onAppend = () -> unappendedWhileAppending.add(deferred.unappended());

            DeferredWrites.Done done = deferred.run();
            assertThat(done.appended()).isEqualTo(6);
            assertThat(deferred.unappended()).isZero();
            assertThat(outbox.appended).containsExactlyElementsOf(entries);
            assertThat(outbox.syncedAt)
                    .as("the sync ran after every queued append")
                    .containsExactly(6);
            assertThat(unappendedWhileAppending)
                    .as("an entry being appended still counts, so a flush never sees "
                            + "memory empty before the outbox holds it")
                    .containsExactly(6, 5, 4, 3, 2, 1);
        }
    }
}
