package dev.progresstracker.websocket.internal;

import dev.progresstracker.websocket.WebSocketConfig;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's timer thread: pings every client once per heartbeat interval, closes clients silent
 * for longer than the idle timeout (1001), closes clients that fell too far behind (1008), and
 * closes connections that did not complete their upgrade within the handshake timeout. A
 * close handshake needs the peer to read; a peer that does not is cut off after
 * {@value #CLOSE_GRACE_MS} ms.
 *
 * <p>The interval is cut into {@value #SLICES} ticks and each tick pings the clients of one slice
 * (by id): clients that connected together are not all pinged, and do not all answer, in the same
 * millisecond. With 1,000 clients such a burst of 2,000 frames each way took the CPU of a whole send
 * round and showed as a latency spike every interval (docs/performance.md).
 */
public final class Heartbeat {

    static final long CLOSE_GRACE_MS = 2000;
    static final int SLICES = 30;
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

    private final Broker broker;
    private final PendingHandshakes pending;
    private final WebSocketConfig config;
    private final ServerMetrics metrics;
    private final ScheduledExecutorService timer;
    private ScheduledFuture<?> task;
    private ScheduledFuture<?> handshakeSweep;
    private long tick;

    public Heartbeat(Broker broker, PendingHandshakes pending, WebSocketConfig config, ServerMetrics metrics) {
        this.broker = broker;
        this.pending = pending;
        this.config = config;
        this.metrics = metrics;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tracker-websocket-timer");
            t.setDaemon(true);
            return t;
        });
    }

    public synchronized void start() {
        if (task == null) {
            long nanos = Math.max(1, config.heartbeatInterval().toNanos() / SLICES);
            task = timer.scheduleAtFixedRate(this::beat, nanos, nanos, TimeUnit.NANOSECONDS);
            long sweep = sweepIntervalNanos(config.handshakeTimeout().toNanos());
            handshakeSweep = timer.scheduleAtFixedRate(this::expireHandshakes, sweep, sweep, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * A tenth of the handshake timeout, at most 1 s: a connection that does not complete its upgrade
     * is closed between the timeout and the timeout plus this.
     */
    static long sweepIntervalNanos(long handshakeTimeoutNanos) {
        return Math.max(
                TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.SECONDS.toNanos(1), handshakeTimeoutNanos / 10));
    }

    public synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
            handshakeSweep.cancel(false);
            handshakeSweep = null;
        }
    }

    private void expireHandshakes() {
        try {
            pending.expire();
        } catch (RuntimeException e) {
            LOG.warn("handshake timeout sweep: {}", e.toString());
        }
    }

    public void close() {
        stop();
        timer.shutdownNow();
    }

    private void beat() {
        long idleNanos = config.idleTimeout().toNanos();
        int slice = (int) (tick++ % SLICES);
        for (ClientSession s : broker.sessions()) {
            try {
                if (s.idleNanos() > idleNanos) {
                    if (s.closing.compareAndSet(false, true)) {
                        metrics.closedIdle.increment();
                        LOG.info("{} closed: idle for more than {}", s, config.idleTimeout());
                        close(s, CloseFrame.GOING_AWAY, "idle timeout: nothing received for " + config.idleTimeout());
                    }
                } else if (s.id % SLICES == slice && s.conn.isOpen()) {
                    s.conn.sendPing();
                }
            } catch (RuntimeException e) {
                LOG.debug("{}: heartbeat: {}", s, e.toString());
            }
        }
    }

    /** Closes a client whose send buffer overflowed, once; its buffer is already freed. */
    public void closeSlow(ClientSession s) {
        if (!s.closing.compareAndSet(false, true)) {
            return;
        }
        metrics.closedSlow.increment();
        String reason = "too slow: " + s.overflowReason();
        LOG.info("{} closed: {}", s, reason);
        try {
            timer.execute(() -> close(s, CloseFrame.POLICY_VALIDATION, reason));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            s.conn.closeConnection(CloseFrame.POLICY_VALIDATION, clip(reason));
        }
    }

    private void close(ClientSession s, int code, String reason) {
        String r = clip(reason);
        try {
            s.conn.close(code, r);
        } catch (RuntimeException e) {
            LOG.debug("{}: close: {}", s, e.toString());
        }
        timer.schedule(
                () -> {
                    if (!s.conn.isClosed()) {
                        s.conn.closeConnection(code, r);
                    }
                },
                CLOSE_GRACE_MS,
                TimeUnit.MILLISECONDS);
        broker.remove(s);
    }

    /** A close reason must fit a control frame (123 bytes of UTF-8). */
    private static String clip(String reason) {
        return reason.length() <= 120 ? reason : reason.substring(0, 117) + "...";
    }
}
