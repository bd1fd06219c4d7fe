package dev.progresstracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.progresstracker.core.ProgressTracker;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Token, Origin, connection limit, TLS, and that the token never reaches a log. */
class SecurityTest {

    private static final String TOKEN = "s3cret-token-0123456789abcdef";
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private WebSocketProgressServer server(WebSocketConfig.Builder b) {
        WebSocketProgressServer s =
                WebSocketProgressServer.builder().config(b.port(0).build()).start();
        toClose.add(s);
        return s;
    }

    @Test
    void tokenIsAcceptedFromHeaderSubprotocolOrQueryAndRefusedWith401Otherwise() throws Exception {
        WebSocketProgressServer s = server(WebSocketConfig.builder().authToken(TOKEN));
        URI uri = s.uri();
        assertThat(RawHandshake.request(uri, "/", Map.of("Authorization", "Bearer " + TOKEN)))
                .startsWith("HTTP/1.1 101");
        assertThat(RawHandshake.request(
                        uri, "/", Map.of("Sec-WebSocket-Protocol", "progress-tracker.v1, bearer." + TOKEN)))
                .startsWith("HTTP/1.1 101")
                .contains("Sec-WebSocket-Protocol: progress-tracker.v1")
                .doesNotContain(TOKEN);
        assertThat(RawHandshake.request(uri, "/?token=" + TOKEN, Map.of())).startsWith("HTTP/1.1 101");

        String missing = RawHandshake.request(uri, "/", Map.of());
        assertThat(missing)
                .startsWith("HTTP/1.1 401 Unauthorized")
                .contains("WWW-Authenticate: Bearer")
                .contains("a bearer token is required")
                .doesNotContain("404");
        String wrong = RawHandshake.request(uri, "/?token=" + TOKEN + "x", Map.of());
        assertThat(wrong).startsWith("HTTP/1.1 401").contains("not valid").doesNotContain(TOKEN);
        assertThat(RawHandshake.request(uri, "/", Map.of("Authorization", "Bearer short")))
                .startsWith("HTTP/1.1 401");
        assertThat(s.counters().rejectedHandshakes("unauthorized")).isEqualTo(3);

        // A real client sees the refusal too, and can connect with the token.
        TestClient refused = new TestClient(uri);
        assertThat(refused.connectBlocking(10, TimeUnit.SECONDS)).isFalse();
        assertThat(refused.closeReason).contains("401");
        TestClient ok = TestClient.open(uri, Map.of("Authorization", "Bearer " + TOKEN));
        assertThat(ok.ofType("hello").get(0).path("authenticated").asBoolean()).isTrue();
        ok.closeBlocking();
    }

    @Test
    void originsOutsideTheAllowlistAreRefusedWith403() throws Exception {
        WebSocketProgressServer loopbackOnly = server(WebSocketConfig.builder());
        URI uri = loopbackOnly.uri();
        assertThat(RawHandshake.request(uri, "/", Map.of("Origin", "https://evil.example")))
                .startsWith("HTTP/1.1 403")
                .contains("origin 'https://evil.example' is not allowed");
        assertThat(RawHandshake.request(uri, "/", Map.of("Origin", "http://127.0.0.1:8766")))
                .startsWith("HTTP/1.1 101");
        assertThat(RawHandshake.request(uri, "/", Map.of("Origin", "http://localhost:3000")))
                .startsWith("HTTP/1.1 101");
        assertThat(RawHandshake.request(uri, "/", Map.of()))
                .as("no Origin: not a browser")
                .startsWith("HTTP/1.1 101");

        WebSocketProgressServer listed =
                server(WebSocketConfig.builder().allowedOrigins(List.of("https://ops.example")));
        assertThat(RawHandshake.request(listed.uri(), "/", Map.of("Origin", "https://ops.example")))
                .startsWith("HTTP/1.1 101");
        assertThat(RawHandshake.request(listed.uri(), "/", Map.of("Origin", "http://localhost:8766")))
                .startsWith("HTTP/1.1 403");
        assertThat(listed.counters().rejectedHandshakes("origin")).isEqualTo(1);
    }

    @Test
    void connectionsBeyondTheLimitAreRefusedWith503() throws Exception {
        WebSocketProgressServer s = server(WebSocketConfig.builder().maxConnections(2));
        TestClient a = TestClient.open(s.uri());
        TestClient b = TestClient.open(s.uri());
        String third = RawHandshake.request(s.uri(), "/", Map.of());
        assertThat(third).startsWith("HTTP/1.1 503").contains("connection limit of 2");
        assertThat(s.counters().rejectedHandshakes("capacity")).isEqualTo(1);
        a.closeBlocking();
        await().atMost(Duration.ofSeconds(10)).until(() -> s.connectionCount() <= 1);
        TestClient c = TestClient.open(s.uri());
        assertThat(c.isOpen()).isTrue();
        b.closeBlocking();
        c.closeBlocking();
    }

    @Test
    void theTokenNeverAppearsInAnyLogLine() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        root.setLevel(Level.TRACE);
        try {
            WebSocketProgressServer s = server(WebSocketConfig.builder().authToken(TOKEN));
            LoggerFactory.getLogger("test").info("config: {}", s.config());
            RawHandshake.request(s.uri(), "/?token=" + TOKEN + "-wrong", Map.of());
            RawHandshake.request(s.uri(), "/", Map.of("Authorization", "Bearer " + TOKEN + "-wrong"));
            // Raw sockets for the accepted ones too: a Java-WebSocket client in this JVM would log its own request.
            assertThat(RawHandshake.request(s.uri(), "/?token=" + TOKEN, Map.of()))
                    .startsWith("HTTP/1.1 101");
            assertThat(RawHandshake.request(s.uri(), "/", Map.of("Authorization", "Bearer " + TOKEN)))
                    .startsWith("HTTP/1.1 101");
            assertThat(RawHandshake.request(s.uri(), "/", Map.of("Sec-WebSocket-Protocol", "bearer." + TOKEN)))
                    .startsWith("HTTP/1.1 101");
            s.close();
        } finally {
            root.setLevel(before);
            root.detachAppender(logs);
        }
        assertThat(logs.list).isNotEmpty();
        for (ILoggingEvent e : logs.list) {
            String line = e.getFormattedMessage()
                    + (e.getThrowableProxy() == null
                            ? ""
                            : e.getThrowableProxy().getMessage());
            assertThat(line).as("log line of " + e.getLoggerName()).doesNotContain(TOKEN);
        }
        assertThat(WebSocketConfig.builder().authToken(TOKEN).build().toString())
                .doesNotContain(TOKEN)
                .contains("***");
    }

    @Test
    void servesWssWithAnSslContext(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "server",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-validity",
                        "2",
                        "-dname",
                        "CN=127.0.0.1",
                        "-ext",
                        "SAN=ip:127.0.0.1",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);

        WebSocketProgressServer s = server(WebSocketConfig.builder().sslContext(server));
        assertThat(s.uri().getScheme()).isEqualTo("wss");
        URI plainUri = URI.create("ws://127.0.0.1:" + s.port() + "/");
        // A plain-text client gets nowhere.
        TestClient plain = new TestClient(plainUri);
        assertThat(plain.connectBlocking(5, TimeUnit.SECONDS)).isFalse();
        try (ProgressTracker t =
                ProgressTracker.builder().runId("tls-run").sink(s).build()) {
            TestClient c = new TestClient(s.uri());
            c.setSocketFactory(client.getSocketFactory());
            assertThat(c.connectBlocking(10, TimeUnit.SECONDS)).isTrue();
            c.request("{\"type\":\"subscribe\",\"runId\":\"tls-run\"}");
            t.startUpgrade("p");
            c.await(m -> m.path("event").path("type").asText().equals("upgrade.started"));
            c.closeBlocking();
        }
    }

    @Test
    void theProtocolsSubprotocolIsSelectedWhenOfferedAndNeverATokenEntry() throws Exception {
        WebSocketProgressServer s = server(WebSocketConfig.builder());
        assertThat(RawHandshake.request(s.uri(), "/", Map.of("Sec-WebSocket-Protocol", "progress-tracker.v1")))
                .startsWith("HTTP/1.1 101")
                .contains("Sec-WebSocket-Protocol: progress-tracker.v1");
        assertThat(RawHandshake.request(s.uri(), "/", Map.of()))
                .startsWith("HTTP/1.1 101")
                .doesNotContain("Sec-WebSocket-Protocol");
    }
}
