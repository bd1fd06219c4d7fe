package dev.progresstracker.eventbridge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.test.SampleRuns;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalOutboxTest {

    @TempDir
    Path dir;

    private final EntryMapper mapper = new EntryMapper("eks-upgrade-agent", null, 256 * 1024);
    private final List<ProgressEvent> events = SampleRuns.upgrade("outbox-1");

    private PendingEntry entry(int i) {
        return mapper.map(events.get(i), 1000 + i);
    }

    @Test
    void keepsEntriesInOrderAcrossReopenAndAcks() throws IOException {
        try (JournalOutbox o = new JournalOutbox(dir, mapper)) {
            for (int i = 0; i < 10; i++) {
                o.append(entry(i));
            }
            o.sync();
            assertThat(o.peek(3)).extracting(PendingEntry::sequence).containsExactly(1L, 2L, 3L);
            o.ack(3);
            assertThat(o.depth()).isEqualTo(7);
        }
        try (JournalOutbox o = new JournalOutbox(dir, mapper)) {
            assertThat(o.depth()).isEqualTo(7);
            List<PendingEntry> rest = o.peek(100);
            assertThat(rest).extracting(PendingEntry::sequence).containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L);
            PendingEntry first = rest.get(0);
            PendingEntry original = entry(3);
            assertThat(first.detail()).isEqualTo(original.detail());
            assertThat(first.detailType()).isEqualTo(original.detailType());
            assertThat(first.time()).isEqualTo(original.time());
            assertThat(first.size()).isEqualTo(original.size());
        }
    }

    @Test
    void rotatesSegmentsAndDeletesFullyAcknowledgedOnes() throws IOException {
        try (JournalOutbox o = new JournalOutbox(dir, mapper, 4096)) {
            for (int i = 0; i < events.size(); i++) {
                o.append(entry(i));
            }
            o.sync();
            assertThat(segments()).hasSizeGreaterThan(3);
            int before = segments().size();
            o.ack(events.size() - 1);
            assertThat(segments()).hasSizeLessThan(before);
            assertThat(o.peek(5)).extracting(PendingEntry::sequence).containsExactly((long) events.size());
        }
        try (JournalOutbox o = new JournalOutbox(dir, mapper, 4096)) {
            assertThat(o.peek(5)).extracting(PendingEntry::sequence).containsExactly((long) events.size());
        }
    }

    @Test
    void cutsATornTailIntoQuarantineAndKeepsEverythingBeforeIt() throws IOException {
        try (JournalOutbox o = new JournalOutbox(dir, mapper)) {
            for (int i = 0; i < 5; i++) {
                o.append(entry(i));
            }
        }
        Path seg = segments().get(0);
        long size = Files.size(seg);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(size - 7);
        }
        try (JournalOutbox o = new JournalOutbox(dir, mapper)) {
            assertThat(o.depth()).isEqualTo(4);
            assertThat(o.peek(10)).extracting(PendingEntry::sequence).containsExactly(1L, 2L, 3L, 4L);
            o.append(entry(4));
            o.sync();
            assertThat(o.peek(10)).extracting(PendingEntry::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
        }
        try (Stream<Path> q = Files.list(dir.resolve("journal").resolve("quarantine"))) {
            assertThat(q.toList()).hasSize(1);
        }
    }

    @Test
    void aFlippedByteFailsTheChecksumAndIsCutNotDelivered() throws IOException {
        try (JournalOutbox o = new JournalOutbox(dir, mapper)) {
            for (int i = 0; i < 3; i++) {
                o.append(entry(i));
            }
        }
        Path seg = segments().get(0);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(f.length() - 20);
            int b = f.read();
            f.seek(f.length() - 20);
            f.write(b ^ 0x5a);
        }
        try (JournalOutbox o = new JournalOutbox(dir, mapper)) {
            assertThat(o.peek(10)).extracting(PendingEntry::sequence).containsExactly(1L, 2L);
        }
    }

    @Test
    void rejectsASecondOwnerOfTheDirectory() throws IOException {
        JournalOutbox owner = new JournalOutbox(dir, mapper);
        try {
            assertThatThrownBy(() -> new JournalOutbox(dir, mapper)).isInstanceOf(IllegalStateException.class);
        } finally {
            owner.close();
        }
    }

    @Test
    void rejectsAckingMoreThanItHolds() throws IOException {
        try (JournalOutbox o = new JournalOutbox(dir, mapper)) {
            o.append(entry(0));
            assertThatThrownBy(() -> o.ack(2))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot ack 2 of 1");
            assertThat(o.depth()).isEqualTo(1);
        }
    }

    @Test
    void aCorruptCursorIsReportedNotIgnored() throws IOException {
        try (JournalOutbox o = new JournalOutbox(dir, mapper)) {
            o.append(entry(0));
            o.ack(1);
        }
        Files.writeString(dir.resolve("cursor"), "garbage");
        assertThatThrownBy(() -> new JournalOutbox(dir, mapper))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cursor")
                .hasMessageContaining("garbage");
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("journal"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("journal-"))
                    .sorted()
                    .toList();
        }
    }
}
