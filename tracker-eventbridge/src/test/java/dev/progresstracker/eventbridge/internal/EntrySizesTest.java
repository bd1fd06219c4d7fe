package dev.progresstracker.eventbridge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EntrySizesTest {

    @Test
    void countsAsAwsDocuments() {
        // 14 (Time) + Source + DetailType + Detail + Resources, all UTF-8 bytes; the bus name does not count.
        assertThat(EntrySizes.entrySize("src", "task.progress", "{\"a\":1}", "arn:x", true))
                .isEqualTo(14 + 3 + 13 + 7 + 5);
        assertThat(EntrySizes.entrySize("src", "t", "{}", null, false)).isEqualTo(3 + 1 + 2);
    }

    @Test
    void utf8LengthMatchesTheEncoder() {
        for (String s : new String[] {"", "ascii", "ünïcödé", "日本語", "emoji 😀 and 𝄞", "mixed ßø€"}) {
            assertThat(EntrySizes.utf8Length(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
    }
}
