package dev.progresstracker.benchmarks.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.test.SampleRuns;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventScannerTest {

    private static byte[] eventMessage(ProgressEvent e) {
        // What the server sends (Messages.event): the wire JSON wrapped in an event message.
        return ("{\"type\":\"event\",\"event\":" + WireFormat.toJson(e) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    @Test
    void findsSequenceAndTimeOfEveryEventTypeAsWireFormatReadsThem() {
        List<ProgressEvent> events = SampleRuns.upgrade("scan-run");
        EventScanner s = new EventScanner();
        for (ProgressEvent e : events) {
            byte[] m = eventMessage(e);
            // Surrounding bytes must not matter: scan a slice of a larger array.
            byte[] padded = new byte[m.length + 20];
            System.arraycopy(m, 0, padded, 10, m.length);
            assertThat(s.scan(padded, 10, m.length)).as(e.type().wireName()).isEqualTo(EventScanner.EVENT);
            ProgressEvent parsed = WireFormat.readEvent(
                    readTree(new String(m, StandardCharsets.UTF_8)).get("event"));
            assertThat(s.sequence()).isEqualTo(parsed.sequence());
            assertThat(s.timeMicros()).isEqualTo(micros(parsed.header().time()));
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return WireFormat.reader().readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void parsesEveryFractionLengthInstantWrites() {
        EventScanner s = new EventScanner();
        for (String t : new String[] {
            "2026-11-23T10:00:00Z",
            "2026-11-23T10:00:59.1Z",
            "2026-11-23T10:01:00.120Z",
            "2026-11-23T23:59:59.999999Z",
            "2024-02-29T00:00:00.000000001Z",
            "1970-01-01T00:00:00.123456789Z"
        }) {
            byte[] b = t.getBytes(StandardCharsets.US_ASCII);
            assertThat(s.parseInstantMicros(b, 0, b.length)).as(t).isEqualTo(micros(Instant.parse(t)));
        }
    }

    @Test
    void otherMessagesAndBrokenEventsAreToldApart() {
        EventScanner s = new EventScanner();
        byte[] hello = "{\"type\":\"hello\",\"protocolVersion\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] snapshot = "{\"type\":\"snapshot\",\"runId\":\"r\",\"sequence\":5}".getBytes(StandardCharsets.UTF_8);
        byte[] noTime = "{\"type\":\"event\",\"event\":{\"sequence\":5}}".getBytes(StandardCharsets.UTF_8);
        byte[] badTime = "{\"type\":\"event\",\"event\":{\"sequence\":5,\"time\":\"2026-02-30T10:00:00Z\"}}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] noDigits = "{\"type\":\"event\",\"event\":{\"sequence\":\"5\"}}".getBytes(StandardCharsets.UTF_8);
        assertThat(s.scan(hello, 0, hello.length)).isEqualTo(EventScanner.OTHER);
        assertThat(s.scan(snapshot, 0, snapshot.length)).isEqualTo(EventScanner.OTHER);
        assertThat(s.scan(noTime, 0, noTime.length)).isEqualTo(EventScanner.MALFORMED);
        assertThat(s.scan(badTime, 0, badTime.length)).isEqualTo(EventScanner.MALFORMED);
        assertThat(s.scan(noDigits, 0, noDigits.length)).isEqualTo(EventScanner.MALFORMED);
    }

    @Test
    void aLayoutOtherThanWireFormatsIsStillReadBySearching() {
        EventScanner s = new EventScanner();
        String[] layouts = {
            // run id with an escaped quote: the fixed-layout path must give up, the search still finds it
            "{\"type\":\"event\",\"event\":{\"schemaVersion\":\"1.0\",\"eventId\":\"3e9c0368-9d64-4190-b46a-6c6e8a36e1f7\","
                    + "\"runId\":\"a\\\"b\",\"sequence\":42,\"time\":\"2026-11-23T10:00:00.5Z\"}}",
            // no event id, a short one, or keys in another order
            "{\"type\":\"event\",\"event\":{\"schemaVersion\":\"1.0\",\"runId\":\"r\",\"sequence\":42,\"time\":\"2026-11-23T10:00:00.5Z\"}}",
            "{\"type\":\"event\",\"event\":{\"schemaVersion\":\"1.0\",\"eventId\":\"x\",\"runId\":\"r\",\"sequence\":42,\"time\":\"2026-11-23T10:00:00.5Z\"}}",
            "{\"type\":\"event\",\"event\":{\"runId\":\"r\",\"schemaVersion\":\"1.0\",\"sequence\":42,\"time\":\"2026-11-23T10:00:00.5Z\"}}",
        };
        for (String json : layouts) {
            byte[] b = json.getBytes(StandardCharsets.UTF_8);
            assertThat(s.scan(b, 0, b.length)).as(json).isEqualTo(EventScanner.EVENT);
            assertThat(s.sequence()).as(json).isEqualTo(42);
            assertThat(s.timeMicros()).as(json).isEqualTo(micros(Instant.parse("2026-11-23T10:00:00.5Z")));
        }
    }
}
