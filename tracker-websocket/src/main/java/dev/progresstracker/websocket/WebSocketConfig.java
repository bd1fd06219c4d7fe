package dev.progresstracker.websocket;

import static dev.progresstracker.core.ConfigChecks.requirePositive;

import dev.progresstracker.core.EnvSettings;

import javax.net.ssl.SSLContext;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.time.Duration;

/**
 * Immutable settings of the WebSocket server and its dashboard. Build with {@link #builder()};
 * {@link #defaults()} holds the documented defaults; every value is checked and a rejected one is
 * named. {@link #toString()} never shows the token.
 *
 * @param enabled                   whether the Guice module installs the server at all; default true
 * @param host                      interface to bind; default {@value #DEFAULT_HOST} (loopback only)
 * @param port                      WebSocket port, 0 for an ephemeral one; default {@value #DEFAULT_PORT}
 * @param authToken                 bearer token clients must present, null for none (default)
 * @param allowedOrigins            browser origins allowed to connect; empty (default) = loopback origins only,
 *                                  {@code "*"} = any. Clients that send no {@code Origin} (non-browsers) are allowed
 * @param maxFrameBytes             largest frame/message a client may send; larger ones close with 1009; default 64 KiB
 * @param maxConnections            connections beyond this are refused with HTTP 503; default {@value #DEFAULT_MAX_CONNECTIONS}
 * @param maxSubscriptionsPerClient runs one client may subscribe to ({@code "*"} counts as one); default {@value #DEFAULT_MAX_SUBSCRIPTIONS}
 * @param sendBufferBytes           bytes queued for one client before it is closed as too slow (1008); snapshots are
 *                                  not counted (what is queued behind them is); default 1 MiB
 * @param sendBufferMessages        messages queued for one client before it is closed as too slow (1008); snapshots
 *                                  not counted; default {@value #DEFAULT_SEND_BUFFER_MESSAGES}
 * @param heartbeatInterval         how often the server pings every client; default 30 s
 * @param idleTimeout               a client silent (not even a pong) for this long is closed (1001); default 90 s
 * @param handshakeTimeout          a connection that has not completed its HTTP upgrade (or TLS handshake) this long
 *                                  after it was accepted is closed; default 10 s
 * @param maxPendingHandshakes      accepted connections still in their upgrade, at most; one more is closed at once
 *                                  (best-effort HTTP 503); default {@value #DEFAULT_MAX_PENDING_HANDSHAKES}
 * @param replayBufferEvents        recent events kept in memory per run for resume before asking the store; default {@value #DEFAULT_REPLAY_BUFFER_EVENTS}
 * @param maxReplayEvents           a resume missing more events than this gets a snapshot instead; default {@value #DEFAULT_MAX_REPLAY_EVENTS}
 * @param workerThreads             Java-WebSocket decoder threads; default {@value #DEFAULT_WORKER_THREADS}
 * @param sslContext                serve {@code wss://} with this context; null (default) for plain {@code ws://}
 * @param dashboardEnabled          whether the Guice module also serves the dashboard; default true
 * @param dashboardHost             interface of the dashboard's HTTP server; default {@value #DEFAULT_HOST}
 * @param dashboardPort             port of the dashboard's HTTP server, 0 for ephemeral; default {@value #DEFAULT_DASHBOARD_PORT}
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

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8765;
    public static final int DEFAULT_DASHBOARD_PORT = 8766;
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    public static final int DEFAULT_MAX_SUBSCRIPTIONS = 64;
    public static final int DEFAULT_SEND_BUFFER_BYTES = 1024 * 1024;
    public static final int DEFAULT_SEND_BUFFER_MESSAGES = 4096;
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(90);
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_PENDING_HANDSHAKES = 256;
    private static final Duration MIN_HANDSHAKE_TIMEOUT = Duration.ofMillis(100);
    private static final Duration MAX_HANDSHAKE_TIMEOUT = Duration.ofMinutes(5);
    public static final int DEFAULT_REPLAY_BUFFER_EVENTS = 1024;
    public static final int DEFAULT_MAX_REPLAY_EVENTS = 10_000;
    public static final int DEFAULT_WORKER_THREADS = 2;

    /** Characters a token may use: they must survive an HTTP header, a subprotocol name and a URL. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+-]{16,512}");

    private static final WebSocketConfig DEFAULTS = builder().build();

    public WebSocketConfig {
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        requireText(host, "host");
        requireText(dashboardHost, "dashboardHost");
        requirePort(port, "port");
        requirePort(dashboardPort, "dashboardPort");
        if (authToken != null && !TOKEN.matcher(authToken).matches()) {
            // The value itself is never echoed: it is a secret.
            throw new IllegalArgumentException("authToken must be 16..512 characters of [A-Za-z0-9._~+-]");
        }
        for (String o : allowedOrigins) {
            if (o == null || o.isBlank() || (!o.equals("*") && !o.matches("https?://[^/\\s]+"))) {
                throw new IllegalArgumentException("allowedOrigins entries must be \"*\" or scheme://host[:port], got '" + o + "'");
            }
        }
        requireRange(maxFrameBytes, 1024, 16 * 1024 * 1024, "maxFrameBytes");
        requireRange(maxConnections, 1, 1_000_000, "maxConnections");
        requireRange(maxSubscriptionsPerClient, 1, 100_000, "maxSubscriptionsPerClient");
        requireRange(sendBufferBytes, 16 * 1024, Integer.MAX_VALUE, "sendBufferBytes");
        requireRange(sendBufferMessages, 16, Integer.MAX_VALUE, "sendBufferMessages");
        requirePositive("heartbeatInterval", heartbeatInterval);
        requirePositive("idleTimeout", idleTimeout);
        if (idleTimeout.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("idleTimeout (" + idleTimeout + ") must be longer than heartbeatInterval ("
                    + heartbeatInterval + ")");
        }
        if (handshakeTimeout == null || handshakeTimeout.compareTo(MIN_HANDSHAKE_TIMEOUT) < 0
                || handshakeTimeout.compareTo(MAX_HANDSHAKE_TIMEOUT) > 0) {
            throw new IllegalArgumentException("handshakeTimeout must be within " + MIN_HANDSHAKE_TIMEOUT + ".."
                    + MAX_HANDSHAKE_TIMEOUT + ", got " + handshakeTimeout);
        }
        requireRange(maxPendingHandshakes, 1, 1_000_000, "maxPendingHandshakes");
        requireRange(replayBufferEvents, 0, 1_000_000, "replayBufferEvents");
        requireRange(maxReplayEvents, 0, 10_000_000, "maxReplayEvents");
        requireRange(workerThreads, 1, 64, "workerThreads");
    }

    public static WebSocketConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether clients must present {@link #authToken()}. */
    public boolean authRequired() {
        return authToken != null;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.enabled = enabled;
        b.host = host;
        b.port = port;
        b.authToken = authToken;
        b.allowedOrigins = allowedOrigins;
        b.maxFrameBytes = maxFrameBytes;
        b.maxConnections = maxConnections;
        b.maxSubscriptionsPerClient = maxSubscriptionsPerClient;
        b.sendBufferBytes = sendBufferBytes;
        b.sendBufferMessages = sendBufferMessages;
        b.heartbeatInterval = heartbeatInterval;
        b.idleTimeout = idleTimeout;
        b.handshakeTimeout = handshakeTimeout;
        b.maxPendingHandshakes = maxPendingHandshakes;
        b.replayBufferEvents = replayBufferEvents;
        b.maxReplayEvents = maxReplayEvents;
        b.workerThreads = workerThreads;
        b.sslContext = sslContext;
        b.dashboardEnabled = dashboardEnabled;
        b.dashboardHost = dashboardHost;
        b.dashboardPort = dashboardPort;
        return b;
    }

    /**
     * Defaults overridden by {@code TRACKER_WS_ENABLED}, {@code TRACKER_WS_HOST}, {@code TRACKER_WS_PORT},
     * {@code TRACKER_WS_TOKEN}, {@code TRACKER_WS_ALLOWED_ORIGINS} (comma-separated),
     * {@code TRACKER_WS_MAX_FRAME_BYTES}, {@code TRACKER_WS_MAX_CONNECTIONS}, {@code TRACKER_WS_MAX_SUBSCRIPTIONS},
     * {@code TRACKER_WS_SEND_BUFFER_BYTES}, {@code TRACKER_WS_SEND_BUFFER_MESSAGES},
     * {@code TRACKER_WS_HEARTBEAT_INTERVAL}, {@code TRACKER_WS_IDLE_TIMEOUT}, {@code TRACKER_WS_HANDSHAKE_TIMEOUT}
     * (ISO-8601 or milliseconds), {@code TRACKER_WS_MAX_PENDING_HANDSHAKES},
     * {@code TRACKER_WS_REPLAY_BUFFER_EVENTS}, {@code TRACKER_WS_MAX_REPLAY_EVENTS}, {@code TRACKER_WS_WORKER_THREADS},
     * {@code TRACKER_DASHBOARD_ENABLED}, {@code TRACKER_DASHBOARD_HOST}, {@code TRACKER_DASHBOARD_PORT}.
     * TLS is configured in code only ({@link Builder#sslContext}).
     */
    public static WebSocketConfig fromEnvironment(Function<String, String> env) {
        Builder b = builder();
        EnvSettings s = new EnvSettings(env);
        s.bool("TRACKER_WS_ENABLED").ifPresent(b::enabled);
        s.string("TRACKER_WS_HOST").ifPresent(b::host);
        s.integer("TRACKER_WS_PORT").ifPresent(b::port);
        s.string("TRACKER_WS_TOKEN").ifPresent(b::authToken);
        s.string("TRACKER_WS_ALLOWED_ORIGINS").ifPresent(v -> b.allowedOrigins(
                Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList()));
        s.integer("TRACKER_WS_MAX_FRAME_BYTES").ifPresent(b::maxFrameBytes);
        s.integer("TRACKER_WS_MAX_CONNECTIONS").ifPresent(b::maxConnections);
        s.integer("TRACKER_WS_MAX_SUBSCRIPTIONS").ifPresent(b::maxSubscriptionsPerClient);
        s.integer("TRACKER_WS_SEND_BUFFER_BYTES").ifPresent(b::sendBufferBytes);
        s.integer("TRACKER_WS_SEND_BUFFER_MESSAGES").ifPresent(b::sendBufferMessages);
        s.duration("TRACKER_WS_HEARTBEAT_INTERVAL").ifPresent(b::heartbeatInterval);
        s.duration("TRACKER_WS_IDLE_TIMEOUT").ifPresent(b::idleTimeout);
        s.duration("TRACKER_WS_HANDSHAKE_TIMEOUT").ifPresent(b::handshakeTimeout);
        s.integer("TRACKER_WS_MAX_PENDING_HANDSHAKES").ifPresent(b::maxPendingHandshakes);
        s.integer("TRACKER_WS_REPLAY_BUFFER_EVENTS").ifPresent(b::replayBufferEvents);
        s.integer("TRACKER_WS_MAX_REPLAY_EVENTS").ifPresent(b::maxReplayEvents);
        s.integer("TRACKER_WS_WORKER_THREADS").ifPresent(b::workerThreads);
        s.bool("TRACKER_DASHBOARD_ENABLED").ifPresent(b::dashboardEnabled);
        s.string("TRACKER_DASHBOARD_HOST").ifPresent(b::dashboardHost);
        s.integer("TRACKER_DASHBOARD_PORT").ifPresent(b::dashboardPort);
        return b.build();
    }

    /** Same as {@link #fromEnvironment(Function)} over a map. */
    public static WebSocketConfig fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env::get);
    }

    @Override
    public String toString() {
        return "WebSocketConfig[enabled=" + enabled + ", host=" + host + ", port=" + port
                + ", authToken=" + (authToken == null ? "none" : "***") + ", allowedOrigins=" + allowedOrigins
                + ", maxFrameBytes=" + maxFrameBytes + ", maxConnections=" + maxConnections
                + ", maxSubscriptionsPerClient=" + maxSubscriptionsPerClient + ", sendBufferBytes=" + sendBufferBytes
                + ", sendBufferMessages=" + sendBufferMessages + ", heartbeatInterval=" + heartbeatInterval
                + ", idleTimeout=" + idleTimeout + ", handshakeTimeout=" + handshakeTimeout
                + ", maxPendingHandshakes=" + maxPendingHandshakes + ", replayBufferEvents=" + replayBufferEvents
                + ", maxReplayEvents=" + maxReplayEvents + ", workerThreads=" + workerThreads
                + ", tls=" + (sslContext != null) + ", dashboardEnabled=" + dashboardEnabled
                + ", dashboardHost=" + dashboardHost + ", dashboardPort=" + dashboardPort + "]";
    }

    private static void requireText(String v, String field) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
    }

    private static void requirePort(int v, String field) {
        requireRange(v, 0, 65_535, field);
    }

    private static void requireRange(int v, int min, int max, String field) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(field + " must be within " + min + ".." + max + ", got " + v);
        }
    }

    /** Builder with the documented defaults; {@link #build()} validates. */
    public static final class Builder {
        private boolean enabled = true;
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String authToken;
        private List<String> allowedOrigins = List.of();
        private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxSubscriptionsPerClient = DEFAULT_MAX_SUBSCRIPTIONS;
        private int sendBufferBytes = DEFAULT_SEND_BUFFER_BYTES;
        private int sendBufferMessages = DEFAULT_SEND_BUFFER_MESSAGES;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private int maxPendingHandshakes = DEFAULT_MAX_PENDING_HANDSHAKES;
        private int replayBufferEvents = DEFAULT_REPLAY_BUFFER_EVENTS;
        private int maxReplayEvents = DEFAULT_MAX_REPLAY_EVENTS;
        private int workerThreads = DEFAULT_WORKER_THREADS;
        private SSLContext sslContext;
        private boolean dashboardEnabled = true;
        private String dashboardHost = DEFAULT_HOST;
        private int dashboardPort = DEFAULT_DASHBOARD_PORT;

        private Builder() {
        }

        public Builder enabled(boolean v) { this.enabled = v; return this; }

        public Builder host(String v) { this.host = v; return this; }

        public Builder port(int v) { this.port = v; return this; }

        /** Bearer token, or null for none. */
        public Builder authToken(String v) { this.authToken = v; return this; }

        public Builder allowedOrigins(List<String> v) { this.allowedOrigins = v; return this; }

        public Builder maxFrameBytes(int v) { this.maxFrameBytes = v; return this; }

        public Builder maxConnections(int v) { this.maxConnections = v; return this; }

        public Builder maxSubscriptionsPerClient(int v) { this.maxSubscriptionsPerClient = v; return this; }

        public Builder sendBufferBytes(int v) { this.sendBufferBytes = v; return this; }

        public Builder sendBufferMessages(int v) { this.sendBufferMessages = v; return this; }

        public Builder heartbeatInterval(Duration v) { this.heartbeatInterval = v; return this; }

        public Builder idleTimeout(Duration v) { this.idleTimeout = v; return this; }

        /** Longest time from accepting a connection to a completed upgrade; 100 ms..5 min. */
        public Builder handshakeTimeout(Duration v) { this.handshakeTimeout = v; return this; }

        /** Connections accepted but not yet upgraded, at most; more are closed at once. */
        public Builder maxPendingHandshakes(int v) { this.maxPendingHandshakes = v; return this; }

        public Builder replayBufferEvents(int v) { this.replayBufferEvents = v; return this; }

        public Builder maxReplayEvents(int v) { this.maxReplayEvents = v; return this; }

        public Builder workerThreads(int v) { this.workerThreads = v; return this; }

        /** Serve {@code wss://} with this context; null for plain {@code ws://}. */
        public Builder sslContext(SSLContext v) { this.sslContext = v; return this; }

        public Builder dashboardEnabled(boolean v) { this.dashboardEnabled = v; return this; }

        public Builder dashboardHost(String v) { this.dashboardHost = v; return this; }

        public Builder dashboardPort(int v) { this.dashboardPort = v; return this; }

        public WebSocketConfig build() {
            return new WebSocketConfig(enabled, host, port, authToken, allowedOrigins, maxFrameBytes, maxConnections,
                    maxSubscriptionsPerClient, sendBufferBytes, sendBufferMessages, heartbeatInterval, idleTimeout,
                    handshakeTimeout, maxPendingHandshakes, replayBufferEvents, maxReplayEvents, workerThreads, sslContext, dashboardEnabled, dashboardHost,
                    dashboardPort);
        }
    }
}
