package dev.progresstracker.websocket.guice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.guice.TrackerModule;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.websocket.DashboardServer;
import dev.progresstracker.websocket.WebSocketConfig;
import dev.progresstracker.websocket.WebSocketProgressServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.Test;

class WebSocketModuleTest {

    @Test
    void contributesAStartedServerAsASinkAndTheDashboard() throws Exception {
        WebSocketConfig config =
                WebSocketConfig.builder().port(0).dashboardPort(0).build();
        Injector injector = Guice.createInjector(new TrackerModule(), new WebSocketModule(config));
        WebSocketProgressServer server = injector.getInstance(WebSocketProgressServer.class);
        Set<EventSink> sinks = injector.getInstance(Key.get(new TypeLiteral<Set<EventSink>>() {}));
        assertThat(sinks).containsExactly(server);
        assertThat(server.isRunning()).isTrue();
        Optional<DashboardServer> dashboard =
                injector.getInstance(Key.get(new TypeLiteral<Optional<DashboardServer>>() {}));
        assertThat(dashboard).isPresent();

        List<String> received = new CopyOnWriteArrayList<>();
        WebSocketClient client = new WebSocketClient(server.uri()) {
            @Override
            public void onOpen(ServerHandshake h) {
                send("{\"type\":\"subscribe\",\"runId\":\"guice-run\"}");
            }

            @Override
            public void onMessage(String m) {
                received.add(m);
            }

            @Override
            public void onClose(int code, String reason, boolean remote) {}

            @Override
            public void onError(Exception ex) {}
        };
        assertThat(client.connectBlocking(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(m -> m.contains("snapshot")));
        TrackerFactory factory = injector.getInstance(TrackerFactory.class);
        try (ProgressTracker t = factory.tracker("guice-run")) {
            t.startUpgrade("p");
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(received).anyMatch(m -> m.contains("upgrade.started")));
        client.closeBlocking();
        factory.close();
        assertThat(server.isRunning()).as("closing the factory closes the sink").isFalse();
        dashboard.get().close();
    }

    @Test
    void disabledBindsNothing() {
        Injector injector = Guice.createInjector(
                new TrackerModule(),
                new WebSocketModule(WebSocketConfig.builder().enabled(false).build()));
        assertThat(injector.getInstance(Key.get(new TypeLiteral<Set<EventSink>>() {})))
                .isEmpty();
        assertThat(injector.getExistingBinding(Key.get(WebSocketProgressServer.class)))
                .isNull();
        assertThat(injector.getExistingBinding(Key.get(WebSocketConfig.class))).isNull();
    }
}
