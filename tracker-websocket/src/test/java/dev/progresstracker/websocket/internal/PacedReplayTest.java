package dev.progresstracker.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * History a client asked for is queued as its buffer drains ({@link ClientSession#replay}): never
 * more than half the buffer's limits at once, never an overflow, live events held behind it in order.
 */
class PacedReplayTest {

    private static final int MAX_MESSAGES = 16;

    private final ServerMetrics metrics = new ServerMetrics(() -> 0);

    private ClientSession resuming() {
        ClientSession s = new ClientSession(1, null, null, false, 1 << 20, MAX_MESSAGES, metrics);
        s.addCursor("r", 0);
        s.holdLive("r");
        return s;
    }

    private static Outbound lifecycle(long seq) {
        return new Outbound(Outbound.textFrame("l" + seq), null, "r", seq);
    }

    private static List<Outbound> history(int from, int to) {
        return IntStream.rangeClosed(from, to)
                .mapToObj(PacedReplayTest::lifecycle)
                .toList();
    }

    /** Drains {@code s} two frames at a time; records the payloads and the most messages queued at once. */
    private static List<String> drain(ClientSession s, int[] maxQueued) {
        List<String> out = new ArrayList<>();
        List<ByteBuffer> frames = new ArrayList<>();
        while (s.hasQueued()) {
            maxQueued[0] = Math.max(maxQueued[0], (int) s.queuedBytes());
            frames.clear();
            assertThat(s.drainTo(frames, 2)).isPositive();
            for (ByteBuffer buf : frames) {
                buf.get(); // opcode
                byte[] payload = new byte[buf.get()];
                buf.get(payload);
                out.add(new String(payload, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static List<String> names(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "l" + i).toList();
    }

    @Test
    void aHistoryTenTimesTheMessageLimitIsQueuedHalfABufferAtATimeAndNeverOverflows() {
        ClientSession s = resuming();
        s.replay("r", history(1, 10 * MAX_MESSAGES).iterator());
        assertThat(s.overflowReason()).isNull();
        int[] maxQueued = {0};
        assertThat(drain(s, maxQueued)).isEqualTo(names(1, 10 * MAX_MESSAGES));
        int frameBytes = lifecycle(100).size();
        assertThat(maxQueued[0])
                .as("at most half the message limit queued")
                .isLessThanOrEqualTo(MAX_MESSAGES / 2 * frameBytes);
        assertThat(s.isClosed()).isFalse();
        assertThat(s.cursor("r").held).as("the run's events go straight on").isNull();
    }

    @Test
    void liveEventsOfferedDuringTheReplayFollowItInOrderAndOneAlreadyReplayedIsNotSentTwice() {
        ClientSession s = resuming();
        s.replay("r", history(1, 40).iterator());
        for (long seq = 40; seq <= 45; seq++) {
            assertThat(s.offer("r", lifecycle(seq))).isEqualTo(ClientSession.Offer.QUEUED); // 40 is in both
        }
        assertThat(drain(s, new int[1])).isEqualTo(names(1, 45));
        assertThat(s.offer("r", lifecycle(46))).isEqualTo(ClientSession.Offer.QUEUED);
        assertThat(drain(s, new int[1])).containsExactly("l46");
    }

    @Test
    void moreLiveEventsThanTheMessageLimitWhileTheHistoryWaitsCloseTheClient() {
        ClientSession s = resuming();
        s.replay("r", history(1, 100).iterator());
        for (long seq = 101; seq < 101 + MAX_MESSAGES; seq++) {
            assertThat(s.offer("r", lifecycle(seq))).isEqualTo(ClientSession.Offer.QUEUED);
        }
        assertThat(s.offer("r", lifecycle(101 + MAX_MESSAGES))).isEqualTo(ClientSession.Offer.OVERFLOW);
        assertThat(s.isClosed()).isTrue();
        assertThat(s.hasQueued()).as("buffer and history freed").isFalse();
    }

    @Test
    void unsubscribingDuringTheReplayDropsTheRestOfIt() {
        ClientSession s = resuming();
        s.addExplicit("r");
        s.replay("r", history(1, 100).iterator());
        assertThat(s.removeExplicit("r")).isTrue();
        assertThat(drain(s, new int[1])).isEmpty();
        assertThat(s.hasQueued()).isFalse();
    }
}
