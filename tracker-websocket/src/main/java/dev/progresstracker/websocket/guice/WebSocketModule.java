package dev.progresstracker.websocket.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.core.spi.HealthCheck;
import dev.progresstracker.core.spi.MetricsExposition;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.websocket.DashboardServer;
import dev.progresstracker.websocket.WebSocketConfig;
import dev.progresstracker.websocket.WebSocketProgressServer;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Contributes a started {@link WebSocketProgressServer} to {@code Multibinder<EventSink>} (install
 * with {@code TrackerModule}, whose store it reads for resume) and binds it, plus an
 * {@code Optional<DashboardServer>} (present when {@link WebSocketConfig#dashboardEnabled()}), which
 * serves {@code /health} from {@code Multibinder<HealthCheck>} and, when a {@link MetricsExposition} is
 * bound (by {@code PrometheusModule}, say), {@code /metrics}. With
 * {@code enabled = false} it binds nothing at all. The tracker closes the server when it closes;
 * the dashboard is closed by whoever injected it.
 */
public final class WebSocketModule extends AbstractModule {

    private final WebSocketConfig config;

    public WebSocketModule() {
        this(WebSocketConfig.defaults());
    }

    public WebSocketModule(WebSocketConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
    }

    /** Configured from {@code TRACKER_WS_*} / {@code TRACKER_DASHBOARD_*} environment variables. */
    public static WebSocketModule fromEnvironment() {
        return new WebSocketModule(WebSocketConfig.fromEnvironment(System::getenv));
    }

    @Override
    protected void configure() {
        if (!config.enabled()) {
            return;
        }
        install(new Bindings(config));
    }

    /** Installed only when enabled, so that a disabled module leaves no binding behind. */
    private static final class Bindings extends AbstractModule {
        private final WebSocketConfig config;

        Bindings(WebSocketConfig config) {
            this.config = config;
        }

        @Override
        protected void configure() {
            OptionalBinder.newOptionalBinder(binder(), MetricsExposition.class);
            Multibinder.newSetBinder(binder(), HealthCheck.class);
            bind(WebSocketConfig.class).toInstance(config);
            Multibinder.newSetBinder(binder(), EventSink.class).addBinding().to(WebSocketProgressServer.class);
        }

        @Provides
        @Singleton
        WebSocketProgressServer server(ProgressStore store) {
            return WebSocketProgressServer.builder().config(config).store(store).start();
        }

        @Provides
        @Singleton
        Optional<DashboardServer> dashboard(
                WebSocketProgressServer server, Optional<MetricsExposition> metrics, Set<HealthCheck> health) {
            if (!config.dashboardEnabled()) {
                return Optional.empty();
            }
            DashboardServer dashboard = DashboardServer.start(server).serveHealth(health);
            metrics.ifPresent(dashboard::serveMetrics);
            return Optional.of(dashboard);
        }
    }
}
