package dev.progresstracker.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-client buffer: conflation keeps order, lifecycle events are never conflated, the bound holds. */
class ClientSessionTest {

    private final ServerMetrics metrics = new ServerMetrics(() -> 0);

    private ClientSession session(int maxBytes, int maxMessages) {
        ClientSession s = new ClientSession(1, null, null, false, maxBytes, maxMessages, metrics);
        s.addCursor("r", 0);
        return s;
    }

    private static Outbound progress(String task, long seq) {
        return new Outbound(Outbound.textFrame("p" + task + seq), "r\u0000" + task, "r", seq);
    }

    private static Outbound lifecycle(long seq) {
        return new Outbound(Outbound.textFrame("l" + seq), null, "r", seq);
    }

    /** Payloads of every frame the session hands out, in order. */
    private static List<String> drain(ClientSession s) {
        List<String> out = new ArrayList<>();
        List<ByteBuffer> frames = new ArrayList<>();
        int n;
        while ((n = s.drainTo(frames, 2)) > 0) {
            assertThat(n).as("at most the room given").isLessThanOrEqualTo(2);
        }
        for (ByteBuffer buf : frames) {
            assertThat(buf.isReadOnly()).as("a view of the shared frame").isTrue();
            while (buf.hasRemaining()) {
                buf.get(); // opcode
                int len = buf.get();
                byte[] payload = new byte[len];
                buf.get(payload);
                out.add(new String(payload, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Test
    void queuedProgressOfATaskIsReplacedByTheNewestAtTheTailSoSequenceOrderHolds() {
        ClientSession s = session(1 << 20, 1000);
        s.offer("r", progress("a", 1), null);
        s.offer("r", progress("a", 2), null);
        s.offer("r", progress("b", 3), null);
        s.offer("r", lifecycle(4));
        s.offer("r", progress("a", 5), null);
        assertThat(drain(s)).containsExactly("pb3", "l4", "pa5");
        assertThat(metrics.conflated.sum()).isEqualTo(2);
        assertThat(s.queuedBytes()).isZero();
    }

    @Test
    void progressAlreadyHandedToTheSocketIsNotConflated() {
        ClientSession s = session(1 << 20, 1000);
        s.offer("r", progress("a", 1), null);
        assertThat(drain(s)).containsExactly("pa1");
        s.offer("r", progress("a", 2), null);
        assertThat(drain(s)).containsExactly("pa2");
        assertThat(metrics.conflated.sum()).isZero();
    }

    @Test
    void lifecycleEventsAreNeverConflatedAndOverflowClosesAndFreesTheBuffer() {
        ClientSession s = session(1 << 20, 16);
        for (int i = 1; i <= 16; i++) {
            assertThat(s.offer("r", lifecycle(i))).isEqualTo(ClientSession.Offer.QUEUED);
        }
        assertThat(s.offer("r", lifecycle(17))).isEqualTo(ClientSession.Offer.OVERFLOW);
        assertThat(s.overflowReason()).contains("17 messages").contains("limits 16");
        assertThat(s.isClosed()).isTrue();
        assertThat(s.queuedBytes()).isZero();
        assertThat(s.offer("r", lifecycle(18))).isEqualTo(ClientSession.Offer.SKIPPED);
    }

    @Test
    void aByteBoundOverflowsEvenWithFewMessages() {
        ClientSession s = session(16 * 1024, 1000);
        String big = "x".repeat(10_000);
        assertThat(s.send(Outbound.control(big))).isEqualTo(ClientSession.Offer.QUEUED);
        assertThat(s.send(Outbound.control(big))).isEqualTo(ClientSession.Offer.OVERFLOW);
    }

    @Test
    void eventsAtOrBelowWhatWasSentAreSkipped() {
        ClientSession s = session(1 << 20, 1000);
        s.offer("r", lifecycle(1));
        s.offer("r", lifecycle(1));
        assertThat(s.offer("r", lifecycle(1))).isEqualTo(ClientSession.Offer.SKIPPED);
        assertThat(drain(s)).containsExactly("l1");
    }

    private static Outbound snapshot(long seq, int bytes) {
        return new Outbound(Outbound.textFrame("s" + "x".repeat(bytes)), null, "r", seq, true);
    }

    @Test
    void aSnapshotIsNotCountedTowardTheLimitButTheEventsBehindItAre() {
        ClientSession s = session(16 * 1024, 16);
        assertThat(s.send(snapshot(0, 100_000))).isEqualTo(ClientSession.Offer.QUEUED);
        for (int i = 1; i <= 16; i++) {
            assertThat(s.offer("r", lifecycle(i)))
                    .as("event %d behind a snapshot 6 times the limit", i)
                    .isEqualTo(ClientSession.Offer.QUEUED);
        }
        assertThat(s.queuedBytes())
                .as("the snapshot is still held (and reported)")
                .isGreaterThan(100_000);
        assertThat(s.offer("r", lifecycle(17))).isEqualTo(ClientSession.Offer.OVERFLOW);
        assertThat(s.overflowReason()).contains("17 messages").contains("besides snapshots");
    }

    @Test
    void unsubscribingDropsTheRunsUnsentMessagesAndOnlyThose() {
        ClientSession s = new ClientSession(1, null, null, false, 1 << 20, 1000, metrics);
        s.addExplicit("r");
        s.addCursor("r", 0);
        s.send(snapshot(0, 10));
        s.offer("r", progress("a", 1), null);
        s.offer("r", lifecycle(2));
        s.send(Outbound.control("pong"));
        assertThat(s.removeExplicit("r")).isTrue();
        assertThat(drain(s)).containsExactly("pong");
        assertThat(s.queuedBytes()).isZero();
        assertThat(s.hasQueued()).isFalse();
    }

    @Test
    void drainingStopsAtTheByteBudgetButAlwaysMovesOneFrame() {
        ClientSession s = session(1 << 20, 1000);
        s.send(snapshot(0, 5000));
        s.offer("r", lifecycle(1));
        s.offer("r", lifecycle(2));
        List<ByteBuffer> out = new ArrayList<>();
        assertThat(s.drainTo(out, 64, 1000))
                .as("a frame over the budget goes alone")
                .isEqualTo(1);
        assertThat(s.drainTo(out, 64, 1000))
                .as("small frames within the budget")
                .isEqualTo(2);
        assertThat(s.hasQueued()).isFalse();
    }

    @Test
    void aFrameOverTheBudgetWaitsWhileTheSocketQueueStillHoldsOne() {
        ClientSession s = session(1 << 20, 1000);
        s.send(snapshot(0, 5000));
        s.offer("r", lifecycle(1));
        List<ByteBuffer> out = new ArrayList<>();
        assertThat(s.drainTo(out, 64, 1000, false))
                .as("the snapshot does not fit what is left")
                .isZero();
        assertThat(s.queuedBytes()).as("nothing moved").isGreaterThan(5000);
        assertThat(s.drainTo(out, 64, 1000, true))
                .as("onto an empty socket queue it goes alone")
                .isEqualTo(1);
        assertThat(s.drainTo(out, 64, 1000, false))
                .as("then the small one within the budget")
                .isEqualTo(1);
        assertThat(s.hasQueued()).isFalse();
    }
}
