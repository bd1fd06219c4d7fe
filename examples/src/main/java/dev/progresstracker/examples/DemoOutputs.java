package dev.progresstracker.examples;

import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.TypeLiteral;
import dev.progresstracker.websocket.DashboardServer;
import dev.progresstracker.websocket.WebSocketConfig;
import dev.progresstracker.websocket.WebSocketProgressServer;
import dev.progresstracker.websocket.guice.WebSocketModule;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The demo's optional outputs: WebSocket + dashboard, EventBridge + CloudWatch. */
final class DemoOutputs {

    @Option(names = "--no-websocket", description = "Switch the WebSocket server and dashboard off.")
    boolean noWebSocket;

    @Option(names = "--ws-port", description = "WebSocket port, 0 for any free one (default 8765; TRACKER_WS_PORT).")
    Integer wsPort;

    @Option(names = "--dashboard-port", description = "Dashboard HTTP port, 0 for any free one (default 8766; TRACKER_DASHBOARD_PORT).")
    Integer dashboardPort;

    List<Module> modules(Function<String, String> env, PrintStream out) {
        List<Module> modules = new ArrayList<>();
        WebSocketConfig ws = WebSocketConfig.fromEnvironment(env);
        if (noWebSocket || !ws.enabled()) {
            out.println("WebSocket and dashboard: off");
        } else {
            WebSocketConfig.Builder b = ws.toBuilder();
            if (wsPort != null) {
                b.port(wsPort);
            }
            if (dashboardPort != null) {
                b.dashboardPort(dashboardPort);
            }
            modules.add(new WebSocketModule(b.build()));
        }
        return modules;
    }

    /** Starts what must run before the upgrade and says where to look. */
    void describe(Injector injector, PrintStream out) {
        if (injector.getExistingBinding(Key.get(WebSocketProgressServer.class)) != null) {
            WebSocketProgressServer server = injector.getInstance(WebSocketProgressServer.class);
            out.println("WebSocket: " + server.uri() + "   (watch it: java -cp examples/target/demo.jar dev.progresstracker.examples.Watch --url "
                    + server.uri() + ")");
            Optional<DashboardServer> dashboard = injector.getInstance(Key.get(new TypeLiteral<Optional<DashboardServer>>() { }));
            dashboard.ifPresent(d -> out.println("Dashboard: " + d.uri()));
        }
    }

    /** Closes what the tracker factory does not own. */
    void close(Injector injector) {
        if (injector.getExistingBinding(Key.get(WebSocketProgressServer.class)) != null) {
            injector.getInstance(Key.get(new TypeLiteral<Optional<DashboardServer>>() { })).ifPresent(DashboardServer::close);
        }
    }
}
