package dev.progresstracker.benchmarks.websocket.internal;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Finds an {@code event} message's {@code sequence} and {@code time} in its UTF-8 bytes without
 * parsing the JSON: {@code WireFormat} writes them as the first {@code "sequence":} and the
 * {@code "time":"…"} right after it, before any free text, so their first occurrences are the
 * event's own (a quote inside a JSON string is escaped, so a string value cannot fake the key).
 * {@code LightClientTest} and the load driver check the result against {@code WireFormat.fromJson}.
 *
 * <p>Not thread-safe: one per selector thread (it caches the epoch second of the last minute seen).
 */
public final class EventScanner {

    /** The payload is an event message; {@link #sequence()} and {@link #timeMicros()} are set. */
    public static final int EVENT = 1;
    /** Some other message (hello, snapshot, pong, error…). */
    public static final int OTHER = 0;
    /** Starts like an event message but its sequence or time could not be read. */
    public static final int MALFORMED = -1;

    private static final byte[] PREFIX = ascii("{\"type\":\"event\"");
    private static final byte[] SEQUENCE = ascii("\"sequence\":");
    private static final byte[] TIME = ascii("\"time\":\"");
    /** What {@code WireFormat} writes before the schema version, the event id and the run id. */
    private static final byte[] HEAD = ascii("{\"type\":\"event\",\"event\":{\"schemaVersion\":\"");

    private static final byte[] EVENT_ID = ascii("\",\"eventId\":\"");
    private static final byte[] RUN_ID = ascii("\",\"runId\":\"");
    private static final int UUID_CHARS = 36;
    /** {@code yyyy-MM-ddTHH:mm}: the part of an ISO instant that changes once a minute. */
    private static final int MINUTE_CHARS = 16;

    private final byte[] minute = new byte[MINUTE_CHARS];
    private long minuteEpochSecond = Long.MIN_VALUE;
    private long sequence;
    private long timeMicros;

    /** {@link #EVENT}, {@link #OTHER} or {@link #MALFORMED} for the text payload {@code a[off, off+len)}. */
    public int scan(byte[] a, int off, int len) {
        int end = off + len;
        if (!startsWith(a, off, end, PREFIX)) {
            return OTHER;
        }
        int s = skipToSequence(a, off, end);
        if (s < 0) {
            s = indexOf(a, off + PREFIX.length, end, SEQUENCE);
        }
        if (s < 0) {
            return MALFORMED;
        }
        int p = s + SEQUENCE.length;
        long seq = 0;
        int digits = 0;
        while (p < end && a[p] >= '0' && a[p] <= '9' && digits < 19) {
            seq = seq * 10 + (a[p] - '0');
            p++;
            digits++;
        }
        if (digits == 0) {
            return MALFORMED;
        }
        int t = indexOf(a, p, end, TIME);
        if (t < 0) {
            return MALFORMED;
        }
        long micros = parseInstantMicros(a, t + TIME.length, end);
        if (micros == Long.MIN_VALUE) {
            return MALFORMED;
        }
        sequence = seq;
        timeMicros = micros;
        return EVENT;
    }

    public long sequence() {
        return sequence;
    }

    /** The event's {@code time} as microseconds since the epoch. */
    public long timeMicros() {
        return timeMicros;
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f…]Z} (what {@code Instant.toString()} writes for years 0–9999) at
     * {@code p}, as epoch microseconds; {@code Long.MIN_VALUE} if it is not that.
     */
    long parseInstantMicros(byte[] a, int p, int end) {
        if (p + 20 > end
                || a[p + 4] != '-'
                || a[p + 7] != '-'
                || a[p + 10] != 'T'
                || a[p + 13] != ':'
                || a[p + 16] != ':') {
            return Long.MIN_VALUE;
        }
        if (!sameMinute(a, p)) {
            long epoch = minuteEpoch(a, p);
            if (epoch == Long.MIN_VALUE) {
                return Long.MIN_VALUE;
            }
            System.arraycopy(a, p, minute, 0, MINUTE_CHARS);
            minuteEpochSecond = epoch;
        }
        int sec = twoDigits(a, p + 17);
        if (sec < 0 || sec > 59) {
            return Long.MIN_VALUE;
        }
        int q = p + 19;
        long nanos = 0;
        if (a[q] == '.') {
            q++;
            int digits = 0;
            while (q < end && a[q] >= '0' && a[q] <= '9' && digits < 9) {
                nanos = nanos * 10 + (a[q] - '0');
                q++;
                digits++;
            }
            if (digits == 0) {
                return Long.MIN_VALUE;
            }
            for (int i = digits; i < 9; i++) {
                nanos *= 10;
            }
        }
        if (q >= end || a[q] != 'Z') {
            return Long.MIN_VALUE;
        }
        return (minuteEpochSecond + sec) * 1_000_000L + nanos / 1000;
    }

    private boolean sameMinute(byte[] a, int p) {
        if (minuteEpochSecond == Long.MIN_VALUE) {
            return false;
        }
        for (int i = MINUTE_CHARS - 1; i >= 0; i--) { // the minute digits differ first
            if (a[p + i] != minute[i]) {
                return false;
            }
        }
        return true;
    }

    private static long minuteEpoch(byte[] a, int p) {
        int y1 = twoDigits(a, p);
        int y2 = twoDigits(a, p + 2);
        int mo = twoDigits(a, p + 5);
        int d = twoDigits(a, p + 8);
        int h = twoDigits(a, p + 11);
        int mi = twoDigits(a, p + 14);
        if (y1 < 0 || y2 < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59) {
            return Long.MIN_VALUE;
        }
        try {
            return LocalDateTime.of(y1 * 100 + y2, mo, d, h, mi).toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return Long.MIN_VALUE; // e.g. 31 February
        }
    }

    private static int twoDigits(byte[] a, int p) {
        int d1 = a[p] - '0';
        int d2 = a[p + 1] - '0';
        return d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9 ? -1 : d1 * 10 + d2;
    }

    private static boolean startsWith(byte[] a, int off, int end, byte[] prefix) {
        if (end - off < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (a[off + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where {@code "sequence":} starts if the message has {@code WireFormat}'s layout (head, schema
     * version, a UUID event id, a run id without escapes, then the sequence): a few fixed-size
     * comparisons instead of a search through the first hundred bytes, which was most of the load
     * clients' CPU. -1 if the layout differs (the caller then searches).
     */
    private static int skipToSequence(byte[] a, int off, int end) {
        int p = off + HEAD.length;
        if (p > end || !Arrays.equals(a, off, p, HEAD, 0, HEAD.length)) {
            return -1;
        }
        p = closingQuote(a, p, end);
        if (p < 0
                || p + EVENT_ID.length + UUID_CHARS > end
                || !Arrays.equals(a, p, p + EVENT_ID.length, EVENT_ID, 0, EVENT_ID.length)) {
            return -1;
        }
        p += EVENT_ID.length + UUID_CHARS;
        if (p + RUN_ID.length > end || !Arrays.equals(a, p, p + RUN_ID.length, RUN_ID, 0, RUN_ID.length)) {
            return -1;
        }
        p = closingQuote(a, p + RUN_ID.length, end);
        // The run id's closing quote, then a comma, then the key.
        if (p < 0
                || p + 1 + SEQUENCE.length > end
                || a[p + 1] != ','
                || !Arrays.equals(a, p + 2, p + 2 + SEQUENCE.length, SEQUENCE, 0, SEQUENCE.length)) {
            return -1;
        }
        return p + 2;
    }

    /** Index of the quote closing a string that starts at {@code p}; -1 at an escape or the end. */
    private static int closingQuote(byte[] a, int p, int end) {
        for (int i = p; i < end; i++) {
            if (a[i] == '"') {
                return i;
            }
            if (a[i] == '\\') {
                return -1;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] a, int from, int end, byte[] needle) {
        byte first = needle[0];
        int last = end - needle.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (a[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (a[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
