package dev.progresstracker.websocket;

import dev.progresstracker.core.config.ConfigBuilder;
import dev.progresstracker.core.config.ConfigSpec;
import dev.progresstracker.core.config.Setting;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * Immutable settings of the WebSocket server and its dashboard. Build with {@link #builder()};
 * {@link #defaults()} holds the defaults. Each property is declared once below as a {@link Setting};
 * the builder checks every value as it is set and names the property it refuses. {@link #toString()}
 * never shows the token; TLS is configured in code only ({@link Builder#sslContext}).
 */
public record WebSocketConfig(
        boolean enabled,
        String host,
        int port,
        String authToken,
        List<String> allowedOrigins,
        int maxFrameBytes,
        int maxConnections,
        int maxSubscriptionsPerClient,
        int sendBufferBytes,
        int sendBufferMessages,
        Duration heartbeatInterval,
        Duration idleTimeout,
        Duration handshakeTimeout,
        int maxPendingHandshakes,
        int replayBufferEvents,
        int maxReplayEvents,
        int workerThreads,
        SSLContext sslContext,
        boolean dashboardEnabled,
        String dashboardHost,
        int dashboardPort) {

    public static final Setting<Boolean> ENABLED = Setting.flag("enabled", true)
            .env("TRACKER_WS_ENABLED")
            .doc("whether the Guice module installs the server at all");
    public static final Setting<String> HOST = Setting.text("host", "127.0.0.1")
            .env("TRACKER_WS_HOST")
            .doc("interface to bind (loopback only by default)");
    public static final Setting<Integer> PORT = Setting.integer("port", 8765)
            .range(0, 65_535)
            .env("TRACKER_WS_PORT")
            .doc("WebSocket port, 0 for an ephemeral one");
    public static final Setting<String> AUTH_TOKEN = Setting.text("authToken", null)
            .optional("none")
            .matching("[A-Za-z0-9._~+-]{16,512}", "16..512 characters of [A-Za-z0-9._~+-]")
            .secret()
            .env("TRACKER_WS_TOKEN")
            .doc("bearer token clients must present");
    public static final Setting<List<String>> ALLOWED_ORIGINS = Setting.list("allowedOrigins", List.of())
            .check(
                    l -> l.stream().allMatch(o -> o != null && (o.equals("*") || o.matches("https?://[^/\\s]+"))),
                    "\"*\" or scheme://host[:port] each")
            .env("TRACKER_WS_ALLOWED_ORIGINS")
            .doc(
                    "browser origins allowed to connect (comma-separated); empty = loopback origins only, `*` = any; no `Origin` header = allowed");
    public static final Setting<Integer> MAX_FRAME_BYTES = Setting.integer("maxFrameBytes", 64 << 10)
            .range(1024, 16 << 20)
            .bytes()
            .env("TRACKER_WS_MAX_FRAME_BYTES")
            .doc("largest frame/message a client may send; larger ones close with 1009");
    public static final Setting<Integer> MAX_CONNECTIONS = Setting.integer("maxConnections", 256)
            .range(1, 1_000_000)
            .env("TRACKER_WS_MAX_CONNECTIONS")
            .doc("connections beyond this are refused with HTTP 503");
    public static final Setting<Integer> MAX_SUBSCRIPTIONS = Setting.integer("maxSubscriptionsPerClient", 64)
            .range(1, 100_000)
            .env("TRACKER_WS_MAX_SUBSCRIPTIONS")
            .doc("runs one client may subscribe to (`*` counts as one)");
    public static final Setting<Integer> SEND_BUFFER_BYTES = Setting.integer("sendBufferBytes", 1 << 20)
            .atLeast(16 << 10)
            .bytes()
            .env("TRACKER_WS_SEND_BUFFER_BYTES")
            .doc("bytes queued for one client before it is closed as too slow (1008); snapshots not counted");
    public static final Setting<Integer> SEND_BUFFER_MESSAGES = Setting.integer("sendBufferMessages", 4096)
            .atLeast(16)
            .env("TRACKER_WS_SEND_BUFFER_MESSAGES")
            .doc("messages queued for one client before it is closed as too slow (1008)");
    public static final Setting<Duration> HEARTBEAT_INTERVAL = Setting.duration(
                    "heartbeatInterval", Duration.ofSeconds(30))
            .above(Duration.ZERO)
            .env("TRACKER_WS_HEARTBEAT_INTERVAL")
            .doc("how often the server pings every client");
    public static final Setting<Duration> IDLE_TIMEOUT = Setting.duration("idleTimeout", Duration.ofSeconds(90))
            .above(Duration.ZERO)
            .env("TRACKER_WS_IDLE_TIMEOUT")
            .doc("a client silent (not even a pong) this long is closed (1001); longer than `heartbeatInterval`");
    public static final Setting<Duration> HANDSHAKE_TIMEOUT = Setting.duration(
                    "handshakeTimeout", Duration.ofSeconds(10))
            .range(Duration.ofMillis(100), Duration.ofMinutes(5))
            .env("TRACKER_WS_HANDSHAKE_TIMEOUT")
            .doc("a connection not upgraded (TLS included) this long after it was accepted is closed");
    public static final Setting<Integer> MAX_PENDING_HANDSHAKES = Setting.integer("maxPendingHandshakes", 256)
            .range(1, 1_000_000)
            .env("TRACKER_WS_MAX_PENDING_HANDSHAKES")
            .doc(
                    "accepted connections still in their upgrade; one more is closed at once (also the accept backlog, capped at 4096)");
    public static final Setting<Integer> REPLAY_BUFFER_EVENTS = Setting.integer("replayBufferEvents", 1024)
            .range(0, 1_000_000)
            .env("TRACKER_WS_REPLAY_BUFFER_EVENTS")
            .doc("recent events kept in memory per run for resume");
    public static final Setting<Integer> MAX_REPLAY_EVENTS = Setting.integer("maxReplayEvents", 10_000)
            .range(0, 10_000_000)
            .env("TRACKER_WS_MAX_REPLAY_EVENTS")
            .doc("a resume missing more events than this gets a snapshot instead");
    public static final Setting<Integer> WORKER_THREADS = Setting.integer("workerThreads", 2)
            .range(1, 64)
            .env("TRACKER_WS_WORKER_THREADS")
            .doc("Java-WebSocket decoder threads");
    public static final Setting<SSLContext> SSL_CONTEXT = Setting.codeOnly("sslContext", SSLContext.class, null)
            .optional("none (`ws://`)")
            .secret()
            .doc("serve `wss://` with this context (code only)");
    public static final Setting<Boolean> DASHBOARD_ENABLED = Setting.flag("dashboardEnabled", true)
            .env("TRACKER_DASHBOARD_ENABLED")
            .doc("whether the Guice module also serves the dashboard");
    public static final Setting<String> DASHBOARD_HOST = Setting.text("dashboardHost", "127.0.0.1")
            .env("TRACKER_DASHBOARD_HOST")
            .doc("interface of the dashboard's HTTP server");
    public static final Setting<Integer> DASHBOARD_PORT = Setting.integer("dashboardPort", 8766)
            .range(0, 65_535)
            .env("TRACKER_DASHBOARD_PORT")
            .doc("port of the dashboard's HTTP server, 0 for an ephemeral one");

    public static final ConfigSpec<WebSocketConfig> SPEC = ConfigSpec.of(
            WebSocketConfig.class,
            ENABLED,
            HOST,
            PORT,
            AUTH_TOKEN,
            ALLOWED_ORIGINS,
            MAX_FRAME_BYTES,
            MAX_CONNECTIONS,
            MAX_SUBSCRIPTIONS,
            SEND_BUFFER_BYTES,
            SEND_BUFFER_MESSAGES,
            HEARTBEAT_INTERVAL,
            IDLE_TIMEOUT,
            HANDSHAKE_TIMEOUT,
            MAX_PENDING_HANDSHAKES,
            REPLAY_BUFFER_EVENTS,
            MAX_REPLAY_EVENTS,
            WORKER_THREADS,
            SSL_CONTEXT,
            DASHBOARD_ENABLED,
            DASHBOARD_HOST,
            DASHBOARD_PORT);

    public WebSocketConfig {
        SPEC.validate(
                enabled,
                host,
                port,
                authToken,
                allowedOrigins,
                maxFrameBytes,
                maxConnections,
                maxSubscriptionsPerClient,
                sendBufferBytes,
                sendBufferMessages,
                heartbeatInterval,
                idleTimeout,
                handshakeTimeout,
                maxPendingHandshakes,
                replayBufferEvents,
                maxReplayEvents,
                workerThreads,
                sslContext,
                dashboardEnabled,
                dashboardHost,
                dashboardPort);
        if (idleTimeout.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("idleTimeout (" + idleTimeout
                    + ") must be longer than heartbeatInterval (" + heartbeatInterval + ")");
        }
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    public static WebSocketConfig defaults() {
        return SPEC.defaults();
    }

    public static Builder builder() {
        return new Builder(null);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Defaults overridden by the environment variables of the settings above, looked up in {@code env}. */
    public static WebSocketConfig fromEnvironment(Function<String, String> env) {
        return SPEC.fromEnvironment(env);
    }

    /** Same as {@link #fromEnvironment(Function)} over a map. */
    public static WebSocketConfig fromEnvironment(Map<String, String> env) {
        return SPEC.fromEnvironment(env);
    }

    /** Whether clients must present {@link #authToken()}. */
    public boolean authRequired() {
        return authToken != null;
    }

    @Override
    public String toString() {
        return SPEC.toString(this);
    }

    /** Builder with the defaults; each setter checks its value. */
    public static final class Builder extends ConfigBuilder<WebSocketConfig, Builder> {
        /** A builder holding {@code from}'s values, or the defaults when it is null. */
        private Builder(WebSocketConfig from) {
            super(SPEC, from);
        }

        public Builder enabled(boolean v) {
            return set(ENABLED, v);
        }

        public Builder host(String v) {
            return set(HOST, v);
        }

        public Builder port(int v) {
            return set(PORT, v);
        }

        /** Bearer token, or null for none. */
        public Builder authToken(String v) {
            return set(AUTH_TOKEN, v);
        }

        public Builder allowedOrigins(List<String> v) {
            return set(ALLOWED_ORIGINS, v);
        }

        public Builder maxFrameBytes(int v) {
            return set(MAX_FRAME_BYTES, v);
        }

        public Builder maxConnections(int v) {
            return set(MAX_CONNECTIONS, v);
        }

        public Builder maxSubscriptionsPerClient(int v) {
            return set(MAX_SUBSCRIPTIONS, v);
        }

        public Builder sendBufferBytes(int v) {
            return set(SEND_BUFFER_BYTES, v);
        }

        public Builder sendBufferMessages(int v) {
            return set(SEND_BUFFER_MESSAGES, v);
        }

        public Builder heartbeatInterval(Duration v) {
            return set(HEARTBEAT_INTERVAL, v);
        }

        public Builder idleTimeout(Duration v) {
            return set(IDLE_TIMEOUT, v);
        }

        /** Longest time from accepting a connection to a completed upgrade; 100 ms..5 min. */
        public Builder handshakeTimeout(Duration v) {
            return set(HANDSHAKE_TIMEOUT, v);
        }

        /** Connections accepted but not yet upgraded, at most; more are closed at once. */
        public Builder maxPendingHandshakes(int v) {
            return set(MAX_PENDING_HANDSHAKES, v);
        }

        public Builder replayBufferEvents(int v) {
            return set(REPLAY_BUFFER_EVENTS, v);
        }

        public Builder maxReplayEvents(int v) {
            return set(MAX_REPLAY_EVENTS, v);
        }

        public Builder workerThreads(int v) {
            return set(WORKER_THREADS, v);
        }

        /** Serve {@code wss://} with this context; null for plain {@code ws://}. */
        public Builder sslContext(SSLContext v) {
            return set(SSL_CONTEXT, v);
        }

        public Builder dashboardEnabled(boolean v) {
            return set(DASHBOARD_ENABLED, v);
        }

        public Builder dashboardHost(String v) {
            return set(DASHBOARD_HOST, v);
        }

        public Builder dashboardPort(int v) {
            return set(DASHBOARD_PORT, v);
        }
    }
}
