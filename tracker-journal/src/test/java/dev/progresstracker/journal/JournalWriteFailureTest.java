package dev.progresstracker.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Write failures injected through {@link FaultyJournalFiles}: the journal holds the records in order, cuts
 * the segment back to its last fsynced end, retries, and on healing writes every held record; nothing is
 * skipped, reused or quarantined, and a close while failing ends every stage.
 */
class JournalWriteFailureTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final FaultyJournalFiles files = new FaultyJournalFiles();
    private final List<GroupCommitter> committers = new ArrayList<>();

    @AfterEach
    void stopCommitters() {
        committers.forEach(GroupCommitter::close);
    }

    private static byte[] rec(long i) {
        return ("{\"record\":" + i + ",\"pad\":\"" + "x".repeat((int) (i % 40)) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private Journal open(Durability durability, long maxQueuedBytes) throws IOException {
        GroupCommitter committer = new GroupCommitter("test-writer", maxQueuedBytes);
        committers.add(committer);
        JournalConfig config = JournalConfig.builder()
                .durability(durability)
                .batchInterval(Duration.ofMillis(5))
                .segmentBytes(4096)
                .build();
        return Journal.open(dir, config, committer, files);
    }

    private Journal open(Durability durability) throws IOException {
        return open(durability, GroupCommitter.DEFAULT_MAX_QUEUED_BYTES);
    }

    private static void appendAcknowledged(Journal j, long from, long to) {
        for (long i = from; i <= to; i++) {
            assertThat(j.append(rec(i)).join()).isEqualTo(i);
        }
    }

    private static List<CompletableFuture<Long>> appendPending(Journal j, long from, long to) {
        List<CompletableFuture<Long>> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(j.append(rec(i)));
        }
        return out;
    }

    /** Every record 1..last present exactly once, in order, with the bytes appended. */
    private static void assertHoldsExactly(Journal j, long last) throws IOException {
        List<Long> seen = new ArrayList<>();
        j.read(1, (index, payload) -> {
            assertThat(new String(payload, StandardCharsets.UTF_8))
                    .isEqualTo(new String(rec(index), StandardCharsets.UTF_8));
            seen.add(index);
            return true;
        });
        assertThat(seen).hasSize((int) last);
        for (int i = 0; i < seen.size(); i++) {
            assertThat(seen.get(i)).isEqualTo(i + 1L);
        }
    }

    private long bytesOnDisk() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("journal-"))
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    private void assertNothingQuarantined() throws IOException {
        Path q = dir.resolve(Journal.QUARANTINE_DIR);
        if (Files.isDirectory(q)) {
            try (Stream<Path> s = Files.list(q)) {
                assertThat(s.toList()).isEmpty();
            }
        }
    }

    private void reopenAndContinue(long acknowledged) throws IOException {
        try (Journal j =
                Journal.open(dir, JournalConfig.builder().segmentBytes(4096).build())) {
            assertThat(j.recovery().clean())
                    .as("no torn record was left on disk")
                    .isTrue();
            assertThat(j.nextIndex()).isEqualTo(acknowledged + 1);
            assertHoldsExactly(j, acknowledged);
            assertThat(j.append(rec(acknowledged + 1)).join()).isEqualTo(acknowledged + 1);
        }
        assertNothingQuarantined();
    }

    /** Waits until the journal holds {@code events} records it could not write yet. */
    private static void awaitBacklog(Journal j, int events) {
        await().atMost(WAIT).until(() -> j.health().heldRecords() == events);
    }

    /** Heals the files; then every held append completes with its own index, {@code first} on, in order. */
    private void healAndExpectIndexesFrom(List<CompletableFuture<Long>> pending, long first) {
        files.heal();
        for (int i = 0; i < pending.size(); i++) {
            assertThat(pending.get(i).join()).isEqualTo(first + i);
        }
    }

    private void closeReopenAndContinue(Journal j, long acknowledged) throws IOException {
        j.close();
        reopenAndContinue(acknowledged);
    }

    @Test
    void eioOnWriteHoldsTheRecordsInOrderAndWritesThemWhenWritesHeal() throws IOException {
        Journal j = open(Durability.SYNC);
        appendAcknowledged(j, 1, 20);
        long durableBytes = bytesOnDisk();
        files.failWritesAfter(0, FaultyJournalFiles.EIO);

        List<CompletableFuture<Long>> pending = appendPending(j, 21, 120);
        awaitBacklog(j, 100);
        JournalHealth h = j.health();
        assertThat(h.state()).isEqualTo(JournalHealth.State.RETRYING);
        assertThat(h.problem()).contains(FaultyJournalFiles.EIO).contains(dir.toString());
        assertThat(h.since()).isNotNull();
        assertThat(pending).noneMatch(CompletableFuture::isDone);
        assertThat(bytesOnDisk()).isEqualTo(durableBytes);
        await().atMost(WAIT).until(() -> files.faultsThrown() >= 3); // it keeps retrying

        healAndExpectIndexesFrom(pending, 21);
        await().atMost(WAIT).until(() -> j.health().isWriting());
        assertThat(j.append(rec(121)).join()).isEqualTo(121);
        assertHoldsExactly(j, 121);
        closeReopenAndContinue(j, 121);
    }

    @Test
    void eioOnFsyncWritesAgainFromTheLastFsyncedEnd() throws IOException {
        Journal j = open(Durability.SYNC);
        appendAcknowledged(j, 1, 20);
        long durableBytes = bytesOnDisk();
        files.failForce(FaultyJournalFiles.EIO);

        List<CompletableFuture<Long>> pending = appendPending(j, 21, 60);
        awaitBacklog(j, 40);
        assertThat(pending).noneMatch(CompletableFuture::isDone);
        assertThat(bytesOnDisk())
                .as("records written but not fsynced are cut off")
                .isEqualTo(durableBytes);

        healAndExpectIndexesFrom(pending, 21);
        assertHoldsExactly(j, 60);
        closeReopenAndContinue(j, 60);
    }

    @Test
    void aTornWriteInTheMiddleOfARecordIsCutBackAndNeverQuarantined() throws IOException {
        Journal j = open(Durability.SYNC);
        appendAcknowledged(j, 1, 10);
        long durableBytes = bytesOnDisk();
        files.failWritesAfter(rec(11).length / 2 + 3, FaultyJournalFiles.ENOSPC);

        List<CompletableFuture<Long>> pending = appendPending(j, 11, 30);
        awaitBacklog(j, 20);
        assertThat(bytesOnDisk()).as("the half record is cut off").isEqualTo(durableBytes);

        healAndExpectIndexesFrom(pending, 11);
        closeReopenAndContinue(j, 30);
    }

    @Test
    void whenTruncatingFailsTooTheTornTailIsCutBeforeTheRetryWrites() throws IOException {
        Journal j = open(Durability.SYNC);
        appendAcknowledged(j, 1, 10);
        long durableBytes = bytesOnDisk();
        files.failWritesAfter(25, FaultyJournalFiles.EROFS)
                .failTruncate(FaultyJournalFiles.EROFS)
                .failForce(FaultyJournalFiles.EROFS);

        List<CompletableFuture<Long>> pending = appendPending(j, 11, 30);
        awaitBacklog(j, 20);
        assertThat(bytesOnDisk())
                .as("a torn tail stays while the file cannot be truncated")
                .isGreaterThan(durableBytes);

        healAndExpectIndexesFrom(pending, 11);
        closeReopenAndContinue(j, 30);
    }

    @Test
    void aFailingRolloverToANewSegmentIsRetriedLikeAWrite() throws IOException {
        Journal j = open(Durability.SYNC);
        appendAcknowledged(j, 1, 5);
        files.failDirectorySync(FaultyJournalFiles.EIO);

        List<CompletableFuture<Long>> pending = appendPending(j, 6, 200); // 4 KiB segments: needs a rollover
        await().atMost(WAIT).until(() -> j.health().state() == JournalHealth.State.RETRYING);
        int segments = j.segmentCount();

        healAndExpectIndexesFrom(pending, 6);
        assertThat(j.segmentCount()).isGreaterThan(segments);
        assertHoldsExactly(j, 200);
        closeReopenAndContinue(j, 200);
    }

    @Test
    void closeWhileFailingFailsEveryPendingStageWithTheCauseAndLeavesOnlyTheAcknowledged() throws IOException {
        Journal j = open(Durability.SYNC);
        appendAcknowledged(j, 1, 20);
        files.failWritesAfter(30, FaultyJournalFiles.ENOSPC);
        List<CompletableFuture<Long>> pending = appendPending(j, 21, 40);
        CompletableFuture<Void> flush = j.flush();
        awaitBacklog(j, 20);

        j.close();

        assertThat(pending).allMatch(CompletableFuture::isCompletedExceptionally);
        assertThatThrownBy(pending.get(0)::join)
                .isInstanceOf(CompletionException.class)
                .hasMessageContaining(FaultyJournalFiles.ENOSPC)
                .hasMessageContaining("closed while writes were failing");
        assertThat(flush).isCompletedExceptionally();
        reopenAndContinue(20);
    }

    @Test
    void aBacklogBeyondMaxQueuedBytesIsReportedAsRefusingButEveryAppendIsKept() throws IOException {
        Journal j = open(Durability.SYNC, 1024);
        appendAcknowledged(j, 1, 3);
        files.failWritesAfter(0, FaultyJournalFiles.ENOSPC);

        List<CompletableFuture<Long>> pending = appendPending(j, 4, 103); // ~4 KiB held > 1 KiB
        awaitBacklog(j, 100);
        JournalHealth h = j.health();
        assertThat(h.state()).isEqualTo(JournalHealth.State.REFUSING);
        assertThat(h.problem()).contains(FaultyJournalFiles.ENOSPC).contains("maxQueuedBytes 1024");
        assertThat(h.heldBytes()).isGreaterThan(1024);

        healAndExpectIndexesFrom(pending, 4);
        await().atMost(WAIT).until(() -> j.health().isWriting());
        closeReopenAndContinue(j, 103);
    }

    @Test
    void batchedRecordsAcknowledgedBeforeAFailedFsyncAreWrittenAgain() throws IOException {
        Journal j = open(Durability.BATCHED);
        appendAcknowledged(j, 1, 10);
        j.flush().join();
        files.failForce(FaultyJournalFiles.EIO);
        appendAcknowledged(j, 11, 30); // BATCHED: acknowledged after the write to the OS
        await().atMost(WAIT).until(() -> j.health().state() == JournalHealth.State.RETRYING);

        files.heal();
        await().atMost(WAIT).until(() -> j.health().isWriting());
        j.flush().join();
        assertHoldsExactly(j, 30);
        closeReopenAndContinue(j, 30);
    }

    @Test
    void otherJournalsOnTheSameCommitterKeepWriting() throws IOException {
        GroupCommitter committer = new GroupCommitter("shared", GroupCommitter.DEFAULT_MAX_QUEUED_BYTES);
        committers.add(committer);
        JournalConfig config = JournalConfig.builder().segmentBytes(4096).build();
        Journal failing = Journal.open(dir.resolve("a"), config, committer, files);
        Journal healthy = Journal.open(dir.resolve("b"), config, committer);
        files.failWritesAfter(0, FaultyJournalFiles.EIO);
        CompletableFuture<Long> held = failing.append(rec(1));

        appendAcknowledged(healthy, 1, 50);
        assertThat(held).isNotDone();
        assertThat(healthy.health().isWriting()).isTrue();

        files.heal();
        assertThat(held.join()).isEqualTo(1);
        failing.close();
        healthy.close();
    }
}
