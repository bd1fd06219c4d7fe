package dev.progresstracker.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    @TempDir
    Path dir;

    private static byte[] rec(long i) {
        return ("{\"record\":" + i + ",\"pad\":\"" + "x".repeat((int) (i % 50)) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> readAll(Journal j, long from) throws IOException {
        List<String> out = new ArrayList<>();
        j.read(from, (index, payload) -> {
            out.add(index + ":" + new String(payload, StandardCharsets.UTF_8));
            return true;
        });
        return out;
    }

    private static JournalConfig small() {
        return JournalConfig.builder().segmentBytes(4096).build();
    }

    @Test
    void appendsAreNumberedFromOneAndReadBackInOrderAfterReopening() throws Exception {
        try (Journal j = Journal.open(dir, small())) {
            for (long i = 1; i <= 500; i++) {
                assertThat(j.append(rec(i)).join()).isEqualTo(i);
            }
            assertThat(j.segmentCount()).isGreaterThan(3);
            assertThat(readAll(j, 1)).hasSize(500);
        }
        try (Journal j = Journal.open(dir, small())) {
            assertThat(j.recovery().clean()).isTrue();
            assertThat(j.nextIndex()).isEqualTo(501);
            List<String> all = readAll(j, 1);
            assertThat(all).hasSize(500);
            for (int i = 0; i < 500; i++) {
                assertThat(all.get(i)).isEqualTo((i + 1) + ":" + new String(rec(i + 1), StandardCharsets.UTF_8));
            }
            assertThat(readAll(j, 437)).first().asString().startsWith("437:");
            assertThat(j.append(rec(501)).join()).isEqualTo(501);
        }
    }

    @Test
    void concurrentAppendsShareFsyncsAndNoneIsLost() throws Exception {
        try (Journal j = Journal.open(dir, JournalConfig.defaults())) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    List<CompletableFuture<Long>> fs = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        fs.add(j.append(rec(i)));
                    }
                    return fs.stream().map(CompletableFuture::join).toList();
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : results) {
                all.addAll(f.get());
            }
            pool.shutdown();
            assertThat(all).hasSize(1600).doesNotHaveDuplicates().allMatch(i -> i >= 1 && i <= 1600);
        }
        try (Journal j = Journal.open(dir, JournalConfig.defaults())) {
            assertThat(j.nextIndex()).isEqualTo(1601);
        }
    }

    @Test
    void deleteBeforeDropsWholeOldSegmentsAndReadsOfThemReportNotRetained() throws Exception {
        try (Journal j = Journal.open(dir, small())) {
            for (long i = 1; i <= 300; i++) {
                j.append(rec(i));
            }
            j.flush().join();
            int before = j.segmentCount();
            assertThat(j.deleteBefore(200)).isPositive();
            assertThat(j.segmentCount()).isLessThan(before);
            assertThat(j.firstIndex()).isLessThanOrEqualTo(200).isGreaterThan(1);
            assertThat(j.read(1, (i, p) -> true)).isFalse();
            assertThat(readAll(j, 200)).hasSize(101);
        }
        try (Journal j = Journal.open(dir, small())) {
            assertThat(j.firstIndex()).isGreaterThan(1);
            assertThat(j.nextIndex()).isEqualTo(301);
        }
    }

    @Test
    void rotateStartsANewSegmentAndRestartAtSkipsAhead() throws Exception {
        try (Journal j = Journal.open(dir, JournalConfig.defaults())) {
            j.append(rec(1)).join();
            j.rotate().join();
            assertThat(j.segmentCount()).isEqualTo(2);
            j.restartAt(100);
            assertThat(j.append(rec(100)).join()).isEqualTo(100);
            assertThat(j.firstIndex()).isEqualTo(100);
        }
        assertThat(Files.list(dir.resolve(Journal.QUARANTINE_DIR)).count()).isEqualTo(2);
        try (Journal j = Journal.open(dir, JournalConfig.defaults())) {
            assertThat(readAll(j, 100)).hasSize(1);
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefused() throws Exception {
        Journal owner = Journal.open(dir, JournalConfig.defaults());
        try {
            assertThatThrownBy(() -> Journal.open(dir, JournalConfig.defaults()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already open");
        } finally {
            owner.close();
        }
    }

    @Test
    void badPayloadsAreRejectedAndChangeNothing() throws Exception {
        JournalConfig cfg = JournalConfig.builder().maxRecordBytes(100).build();
        try (Journal j = Journal.open(dir, cfg)) {
            assertThatThrownBy(() -> j.append(new byte[0]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1..100");
            assertThatThrownBy(() -> j.append(new byte[101])).isInstanceOf(IllegalArgumentException.class);
            assertThat(j.nextIndex()).isEqualTo(1);
            assertThat(j.append(new byte[100]).join()).isEqualTo(1);
        }
    }

    @Test
    void recordsLargerThanTheWriteBufferRoundTrip() throws Exception {
        byte[] big = new byte[1_000_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }
        try (Journal j = Journal.open(dir, JournalConfig.defaults())) {
            j.append(rec(1));
            j.append(big);
            j.append(rec(3)).join();
        }
        try (Journal j = Journal.open(dir, JournalConfig.defaults())) {
            List<byte[]> got = new ArrayList<>();
            j.read(1, (i, p) -> got.add(p));
            assertThat(got).hasSize(3);
            assertThat(got.get(1)).isEqualTo(big);
        }
    }

    @Test
    void everyDurabilityModeKeepsRecordsAcrossReopen() throws Exception {
        for (Durability d : Durability.values()) {
            Path sub = dir.resolve(d.name());
            JournalConfig cfg = JournalConfig.builder().durability(d).build();
            try (Journal j = Journal.open(sub, cfg)) {
                for (int i = 1; i <= 50; i++) {
                    j.append(rec(i));
                }
                j.append(rec(51)).join();
            }
            try (Journal j = Journal.open(sub, cfg)) {
                assertThat(j.nextIndex()).as(d.name()).isEqualTo(52);
            }
        }
    }

    @Test
    void configRejectsBadValuesNamingTheField() {
        assertThatThrownBy(() -> JournalConfig.builder().segmentBytes(10).build())
                .hasMessageContaining("segmentBytes");
        assertThatThrownBy(() -> JournalConfig.builder()
                        .batchInterval(java.time.Duration.ZERO)
                        .build())
                .hasMessageContaining("batchInterval");
        assertThatThrownBy(() -> JournalConfig.builder().maxRecordBytes(1).build())
                .hasMessageContaining("maxRecordBytes");
        assertThatThrownBy(() -> JournalConfig.builder().durability(null).build())
                .hasMessageContaining("durability");
    }

    static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("journal-")
                            && p.getFileName().toString().endsWith(".log"))
                    .sorted()
                    .toList();
        }
    }
}
