package dev.progresstracker.websocket.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * Counters of one server, kept as plain adders so that the server needs no registry; bound to one
 * (or several) with {@link #bindTo}. Thread-safe.
 */
public final class ServerMetrics implements MeterBinder {

    public final LongAdder messagesOut = new LongAdder();
    public final LongAdder conflated = new LongAdder();
    public final LongAdder closedSlow = new LongAdder();
    public final LongAdder closedIdle = new LongAdder();
    public final LongAdder closedTooBig = new LongAdder();
    public final LongAdder protocolErrors = new LongAdder();
    public final LongAdder connectionsOpened = new LongAdder();
    /** A client's run moved to the shared live log (caught up). */
    public final LongAdder caughtUp = new LongAdder();
    /** A client's run moved from the live log back to its own, conflating buffer. */
    public final LongAdder fellBehind = new LongAdder();
    /** Connections closed because they did not complete the upgrade within the handshake timeout. */
    public final LongAdder handshakesTimedOut = new LongAdder();
    /** Client frames that broke RFC 6455 framing (unmasked): closed with 1002. */
    public final LongAdder closedProtocol = new LongAdder();

    private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
    private final IntSupplier connections;
    private final IntSupplier pendingHandshakes;

    public ServerMetrics(IntSupplier connections) {
        this(connections, () -> 0);
    }

    /** @param pendingHandshakes connections accepted and not yet upgraded */
    public ServerMetrics(IntSupplier connections, IntSupplier pendingHandshakes) {
        this.connections = connections;
        this.pendingHandshakes = pendingHandshakes;
        for (String reason : new String[] {"unauthorized", "origin", "capacity", "pending"}) {
            rejected.put(reason, new LongAdder());
        }
    }

    void rejected(String reason) {
        rejected.get(reason).increment();
    }

    public long rejectedHandshakes(String reason) {
        return rejected.get(reason).sum();
    }

    public int connections() {
        return connections.getAsInt();
    }

    public int pendingHandshakes() {
        return pendingHandshakes.getAsInt();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("tracker.websocket.connections", connections, IntSupplier::getAsInt)
                .description("open WebSocket connections")
                .register(registry);
        Gauge.builder("tracker.websocket.handshakes.pending", pendingHandshakes, IntSupplier::getAsInt)
                .description("connections accepted and not yet upgraded")
                .register(registry);
        counter(
                registry,
                "tracker.websocket.handshakes.timed_out",
                handshakesTimedOut,
                "connections closed for not completing the upgrade within the handshake timeout");
        counter(
                registry,
                "tracker.websocket.clients.closed.protocol",
                closedProtocol,
                "clients closed with 1002 for an unmasked frame");
        counter(registry, "tracker.websocket.connections.opened", connectionsOpened, "connections accepted");
        counter(registry, "tracker.websocket.messages.out", messagesOut, "messages handed to client sockets");
        counter(
                registry,
                "tracker.websocket.messages.conflated",
                conflated,
                "queued task.progress messages replaced by a newer one for a slow client");
        counter(registry, "tracker.websocket.clients.closed.slow", closedSlow, "clients closed for a full send buffer");
        counter(registry, "tracker.websocket.clients.closed.idle", closedIdle, "clients closed by the idle timeout");
        counter(
                registry,
                "tracker.websocket.clients.closed.too_big",
                closedTooBig,
                "clients closed with 1009 for a frame over maxFrameBytes");
        counter(
                registry,
                "tracker.websocket.clients.caught_up",
                caughtUp,
                "subscriptions that moved to the shared live stream (caught up)");
        counter(
                registry,
                "tracker.websocket.clients.fell_behind",
                fellBehind,
                "subscriptions that fell behind the live stream and went back to a conflating buffer");
        counter(
                registry,
                "tracker.websocket.protocol.errors",
                protocolErrors,
                "client messages answered with an error");
        rejected.forEach((reason, adder) -> FunctionCounter.builder(
                        "tracker.websocket.handshakes.rejected", adder, LongAdder::doubleValue)
                .tag("reason", reason)
                .description("refused WebSocket handshakes")
                .register(registry));
    }

    private static void counter(MeterRegistry registry, String name, LongAdder adder, String description) {
        FunctionCounter.builder(name, adder, LongAdder::doubleValue)
                .description(description)
                .register(registry);
    }
}
