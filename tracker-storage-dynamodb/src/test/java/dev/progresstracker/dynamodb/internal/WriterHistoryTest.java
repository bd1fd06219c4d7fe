package dev.progresstracker.dynamodb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WriterHistoryTest {

    @Test
    void theOwnerOfASequenceIsTheLastWriterThatStartedAtOrBeforeIt() {
        WriterHistory h = WriterHistory.EMPTY.with("a", 1).with("b", 57).with("c", 90);
        assertThat(h.owner(1)).isEqualTo("a");
        assertThat(h.owner(56)).isEqualTo("a");
        assertThat(h.owner(57)).isEqualTo("b");
        assertThat(h.owner(1000)).isEqualTo("c");
        assertThat(WriterHistory.parse(h.encode())).isEqualTo(h);
        assertThat(WriterHistory.parse("")).isEqualTo(WriterHistory.EMPTY);
        assertThat(WriterHistory.EMPTY.owner(5)).isNull();
    }

    @Test
    void theHistoryIsBounded() {
        WriterHistory h = WriterHistory.EMPTY;
        for (int i = 1; i <= WriterHistory.MAX_ENTRIES + 10; i++) {
            h = h.with("w" + i, i);
        }
        assertThat(h.ids()).hasSize(WriterHistory.MAX_ENTRIES);
        assertThat(h.owner(5)).isNull();
        assertThat(h.owner(WriterHistory.MAX_ENTRIES + 10)).isEqualTo("w" + (WriterHistory.MAX_ENTRIES + 10));
    }
}
