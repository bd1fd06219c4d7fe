package dev.progresstracker.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damages segment files the ways disks and crashes do, and checks what {@link Journal#open} keeps. */
class JournalCorruptionTest {

    @TempDir
    Path dir;

    private static final int RECORDS = 20;

    private static byte[] rec(int i) {
        return ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** Writes RECORDS records; returns the segment file and the offset where the last record starts. */
    private long[] writeJournal(Path d) throws Exception {
        try (Journal j = Journal.open(d, JournalConfig.defaults())) {
            for (int i = 1; i < RECORDS; i++) {
                j.append(rec(i));
            }
            j.flush().join();
            long lastStart = j.sizeBytes();
            j.append(rec(RECORDS)).join();
            return new long[] {lastStart, j.sizeBytes()};
        }
    }

    private static Path segment(Path d) throws IOException {
        return JournalTest.segmentFiles(d).get(0);
    }

    private static List<Integer> readNumbers(Journal j) throws IOException {
        List<Integer> out = new ArrayList<>();
        j.read(1, (i, p) -> {
            String s = new String(p, StandardCharsets.UTF_8);
            out.add(Integer.parseInt(s.substring(5, s.length() - 1)));
            return true;
        });
        return out;
    }

    private static List<Integer> oneTo(int n) {
        List<Integer> l = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            l.add(i);
        }
        return l;
    }

    @Test
    void truncationAtEveryByteOfTheLastRecordKeepsAllEarlierRecords() throws Exception {
        long[] offsets = writeJournal(dir.resolve("orig"));
        byte[] original = Files.readAllBytes(segment(dir.resolve("orig")));
        for (long cut = offsets[0]; cut < offsets[1]; cut++) {
            Path d = Files.createDirectories(dir.resolve("cut-" + cut));
            Path seg = d.resolve(segment(dir.resolve("orig")).getFileName());
            Files.write(seg, Arrays.copyOf(original, (int) cut));
            try (Journal j = Journal.open(d, JournalConfig.defaults())) {
                assertThat(readNumbers(j)).as("cut at %d", cut).isEqualTo(oneTo(RECORDS - 1));
                assertThat(j.nextIndex()).isEqualTo(RECORDS);
                if (cut == offsets[0]) {
                    assertThat(j.recovery().clean()).isTrue();
                } else {
                    JournalRecovery.Quarantined q = j.recovery().quarantined().get(0);
                    assertThat(q.offset()).isEqualTo(offsets[0]);
                    assertThat(q.length()).isEqualTo(cut - offsets[0]);
                    assertThat(q.reason()).contains("torn");
                    assertThat(Files.readAllBytes(q.movedTo()))
                            .isEqualTo(Arrays.copyOfRange(original, (int) offsets[0], (int) cut));
                }
                assertThat(j.append(rec(RECORDS)).join()).isEqualTo(RECORDS);
            }
            try (Journal j = Journal.open(d, JournalConfig.defaults())) {
                assertThat(j.recovery().clean()).isTrue();
                assertThat(readNumbers(j)).isEqualTo(oneTo(RECORDS));
            }
        }
    }

    @Test
    void aFlippedBitAnywhereCutsTheJournalAtThatRecord() throws Exception {
        long[] offsets = writeJournal(dir.resolve("orig"));
        byte[] original = Files.readAllBytes(segment(dir.resolve("orig")));
        int recordBytes = (int) (offsets[1] - offsets[0]);
        for (int pos = 0; pos < original.length; pos += 7) {
            for (int bit : new int[] {0, 5}) {
                Path d = Files.createDirectories(dir.resolve("flip-" + pos + "-" + bit));
                byte[] damaged = original.clone();
                damaged[pos] ^= (byte) (1 << bit);
                Files.write(d.resolve(segment(dir.resolve("orig")).getFileName()), damaged);
                try (Journal j = Journal.open(d, JournalConfig.defaults())) {
                    int damagedRecord = pos / recordBytes; // records of equal size in this test (n < 10 differs)
                    List<Integer> kept = readNumbers(j);
                    assertThat(kept).as("flip at %d", pos).isEqualTo(oneTo(kept.size()));
                    assertThat(kept.size()).isLessThan(RECORDS).isGreaterThanOrEqualTo(Math.max(0, damagedRecord - 2));
                    assertThat(j.recovery().quarantined()).hasSize(1);
                    assertThat(j.recovery().quarantined().get(0).reason()).containsAnyOf("corrupt", "torn");
                }
            }
        }
    }

    @Test
    void aZeroFilledTailIsCutAndKept() throws Exception {
        long[] offsets = writeJournal(dir);
        Path seg = segment(dir);
        Files.write(seg, new byte[4096], StandardOpenOption.APPEND);
        try (Journal j = Journal.open(dir, JournalConfig.defaults())) {
            assertThat(readNumbers(j)).isEqualTo(oneTo(RECORDS));
            JournalRecovery.Quarantined q = j.recovery().quarantined().get(0);
            assertThat(q.offset()).isEqualTo(offsets[1]);
            assertThat(q.length()).isEqualTo(4096);
            assertThat(q.reason()).contains("bad record length 0");
        }
        assertThat(Files.size(seg)).isEqualTo(offsets[1]);
    }

    @Test
    void aGapBetweenSegmentsQuarantinesTheLaterOnesWhole() throws Exception {
        JournalConfig cfg = JournalConfig.builder().segmentBytes(4096).build();
        try (Journal j = Journal.open(dir, cfg)) {
            for (int i = 1; i <= 1000; i++) {
                j.append(rec(i));
            }
            j.flush().join();
        }
        List<Path> segs = JournalTest.segmentFiles(dir);
        assertThat(segs.size()).isGreaterThan(3);
        Files.delete(segs.get(1));
        try (Journal j = Journal.open(dir, cfg)) {
            assertThat(j.segmentCount()).isEqualTo(1);
            List<Integer> kept = readNumbers(j);
            assertThat(kept).isEqualTo(oneTo(kept.size()));
            assertThat(j.recovery().quarantined())
                    .hasSize(segs.size() - 2)
                    .allSatisfy(q -> assertThat(Files.exists(q.movedTo())).isTrue());
            assertThat(j.recovery().quarantined().get(0).reason()).contains("previous segment ends before");
        }
    }
}
