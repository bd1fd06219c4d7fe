package dev.progresstracker.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random write faults (EIO/ENOSPC after a random number of bytes, failing fsyncs, truncations, rollovers)
 * while two threads append, in every durability mode; then the faults heal, or (SYNC) the journal is
 * closed while failing. Counted after each trial: every acknowledged record is present once, at the index
 * its stage returned, with its bytes; the indexes are gap-free; a failed stage names the cause; the
 * reopened journal is clean and holds exactly the acknowledged records. More trials with
 * {@code -Djournal.fault.trials=N}, a fixed seed with {@code -Djournal.fault.seed=S}.
 */
class JournalFaultTrialsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String[] MESSAGES = {
        FaultyJournalFiles.EIO, FaultyJournalFiles.ENOSPC, FaultyJournalFiles.EROFS
    };

    @TempDir
    Path dir;

    private record Appended(byte[] payload, CompletableFuture<Long> stage) {}

    @Test
    void randomWriteFaultsNeverLoseReorderOrDuplicateAnAcknowledgedRecord() throws Exception {
        long seed = Long.getLong("journal.fault.seed", System.nanoTime());
        int trials = Integer.getInteger("journal.fault.trials", 30);
        Random rnd = new Random(seed);
        for (int trial = 0; trial < trials; trial++) {
            String context = "trial " + trial + " of seed " + seed;
            runTrial(dir.resolve("t" + trial), rnd, context);
        }
    }

    private void runTrial(Path d, Random rnd, String context) throws Exception {
        Durability mode = Durability.values()[rnd.nextInt(Durability.values().length)];
        boolean closeWhileFailing = mode == Durability.SYNC && rnd.nextInt(3) == 0;
        FaultyJournalFiles files = new FaultyJournalFiles();
        JournalConfig config = JournalConfig.builder()
                .durability(mode)
                .batchInterval(Duration.ofMillis(2))
                .segmentBytes(4096)
                .build();
        List<Appended> appended = new ArrayList<>();
        try (GroupCommitter committer = new GroupCommitter("trial", 16 * 1024)) {
            Journal j = Journal.open(d, config, committer, files);
            int before = rnd.nextInt(40);
            for (int i = 0; i < before; i++) {
                byte[] p = payload("pre", i, rnd);
                appended.add(new Appended(p, j.append(p)));
            }
            String message = MESSAGES[rnd.nextInt(MESSAGES.length)];
            int kind = rnd.nextInt(closeWhileFailing ? 3 : 4);
            switch (kind) {
                case 0 -> files.failWritesAfter(rnd.nextInt(3000), message);
                case 1 -> files.failForce(message);
                case 2 -> files.failDirectorySync(message).failWritesAfter(rnd.nextInt(6000), message);
                default -> files.failWritesAfter(rnd.nextInt(2000), message).failTruncate(message);
            }
            ConcurrentLinkedQueue<Appended> concurrent = new ConcurrentLinkedQueue<>();
            CountDownLatch writersDone = new CountDownLatch(2);
            for (int w = 0; w < 2; w++) {
                int writer = w;
                int count = 20 + rnd.nextInt(120);
                long writerSeed = rnd.nextLong();
                Thread t = new Thread(() -> {
                    Random r = new Random(writerSeed);
                    try {
                        for (int i = 0; i < count; i++) {
                            byte[] p = payload("w" + writer, i, r);
                            concurrent.add(new Appended(p, j.append(p)));
                        }
                    } finally {
                        writersDone.countDown();
                    }
                });
                t.start();
            }
            writersDone.await();
            appended.addAll(concurrent);
            // Either everything got through before the fault struck, or the journal is retrying.
            await(context)
                    .atMost(WAIT)
                    .until(() -> appended.stream().allMatch(a -> a.stage().isDone())
                            || j.health().state() != JournalHealth.State.WRITING);
            if (closeWhileFailing) {
                j.close();
            } else {
                int thrown = files.faultsThrown();
                if (!j.health().isWriting()) {
                    await(context).atMost(WAIT).until(() -> files.faultsThrown() > thrown); // at least one retry failed
                }
                files.heal();
                await(context)
                        .atMost(WAIT)
                        .until(() -> appended.stream().allMatch(a -> a.stage().isDone()));
                j.flush().join();
                j.close();
            }
            assertThat(j.health().isWriting()).as(context).isTrue();
        }
        long acknowledged = checkStages(appended, closeWhileFailing, context);
        try (Journal reopened =
                Journal.open(d, JournalConfig.builder().segmentBytes(4096).build())) {
            assertThat(reopened.recovery().clean())
                    .as("%s: clean reopen", context)
                    .isTrue();
            assertThat(reopened.nextIndex())
                    .as("%s: exactly the acknowledged records", context)
                    .isEqualTo(acknowledged + 1);
            Map<Long, byte[]> byIndex = new HashMap<>();
            for (Appended a : appended) {
                if (!a.stage().isCompletedExceptionally()) {
                    byIndex.put(a.stage().join(), a.payload());
                }
            }
            long[] next = {1};
            reopened.read(1, (index, payload) -> {
                assertThat(index).as(context).isEqualTo(next[0]++);
                assertThat(payload).as("%s: record %d", context, index).isEqualTo(byIndex.get(index));
                return true;
            });
            assertThat(next[0]).as(context).isEqualTo(acknowledged + 1);
        }
    }

    /** Every stage ended; the acknowledged indexes are exactly 1..n; a failed stage names the cause. */
    private static long checkStages(List<Appended> appended, boolean closed, String context) {
        List<Long> indexes = new ArrayList<>();
        for (Appended a : appended) {
            assertThat(a.stage()).as(context).isDone();
            try {
                indexes.add(a.stage().join());
            } catch (CompletionException e) {
                assertThat(closed)
                        .as("%s: a stage failed without a close: %s", context, e)
                        .isTrue();
                assertThat(e).as(context).hasMessageContaining("closed while writes were failing");
            }
        }
        indexes.sort(Long::compare);
        for (int i = 0; i < indexes.size(); i++) {
            assertThat(indexes.get(i))
                    .as("%s: acknowledged indexes are 1..n without gaps or repeats", context)
                    .isEqualTo(i + 1L);
        }
        return indexes.size();
    }

    private static byte[] payload(String who, int i, Random r) {
        return ("{\"who\":\"" + who + "\",\"i\":" + i + ",\"pad\":\"" + "p".repeat(r.nextInt(300)) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
