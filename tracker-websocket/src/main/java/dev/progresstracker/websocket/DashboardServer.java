package dev.progresstracker.websocket;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.progresstracker.core.spi.HealthCheck;
import dev.progresstracker.core.spi.MetricsExposition;
import dev.progresstracker.core.spi.OutputHealth;
import dev.progresstracker.websocket.internal.HealthHandler;
import dev.progresstracker.websocket.internal.Messages;
import dev.progresstracker.websocket.internal.MetricsHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the dashboard page (plain HTML + JS modules from this module's resources, uPlot from its
 * WebJar under {@code /vendor/}) over HTTP with the JDK's
 * {@link HttpServer}, default {@code 127.0.0.1:8766}, plus {@code /config.json} telling the page
 * where the WebSocket server listens (read on every request, so a restarted server is found). The
 * token is never served: give it to the page as {@code #token=…} in its URL. Thread-safe.
 */
public final class DashboardServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    private static final String BASE = "/dev/progresstracker/websocket/dashboard/";
    /** The page's own files (one JS module per panel), by request path. */
    private static final Map<String, String> FILES = Map.ofEntries(
            Map.entry("/", "index.html"),
            Map.entry("/index.html", "index.html"),
            Map.entry("/dashboard.css", "dashboard.css"),
            Map.entry("/dashboard.js", "dashboard.js"),
            Map.entry("/model.js", "model.js"),
            Map.entry("/dom.js", "dom.js"),
            Map.entry("/runlist.js", "runlist.js"),
            Map.entry("/summary.js", "summary.js"),
            Map.entry("/alerts.js", "alerts.js"),
            Map.entry("/charts.js", "charts.js"),
            Map.entry("/timeline.js", "timeline.js"),
            Map.entry("/usage.js", "usage.js"),
            Map.entry("/usagetotals.js", "usagetotals.js"),
            Map.entry("/tasks.js", "tasks.js"),
            Map.entry("/eventlog.js", "eventlog.js"));
    /** uPlot from its WebJar on the classpath (never a CDN), by request path. */
    private static final Map<String, String> VENDOR = Map.of(
            "/vendor/uPlot.iife.min.js", "dist/uPlot.iife.min.js",
            "/vendor/uPlot.min.css", "dist/uPlot.min.css");

    private static final String UPLOT = "/META-INF/resources/webjars/uplot/";

    private final HttpServer http;
    private final ExecutorService executor;
    private final WebSocketProgressServer websocket;
    private final String host;

    private DashboardServer(WebSocketProgressServer websocket, String host, int port) throws IOException {
        this.websocket = websocket;
        this.host = host;
        this.http = HttpServer.create(new InetSocketAddress(host, port), 50);
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "tracker-dashboard-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        http.start();
        LOG.info("dashboard at {}", uri());
    }

    /** Serves the dashboard of {@code websocket} on its config's dashboard host and port. */
    public static DashboardServer start(WebSocketProgressServer websocket) {
        WebSocketConfig c = websocket.config();
        return start(websocket, c.dashboardHost(), c.dashboardPort());
    }

    /**
     * Serves the dashboard of {@code websocket} on {@code host:port} (0 for an ephemeral port).
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static DashboardServer start(WebSocketProgressServer websocket, String host, int port) {
        Objects.requireNonNull(websocket, "websocket must not be null");
        try {
            return new DashboardServer(websocket, host, port);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "dashboard could not listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** {@code http://host:port/}. */
    public URI uri() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + h + ":" + port() + "/");
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain; charset=utf-8", "method not allowed\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (path.equals("/favicon.ico")) {
                ex.sendResponseHeaders(204, -1);
                return;
            }
            if (path.equals("/config.json")) {
                config(ex);
                return;
            }
            String file = FILES.containsKey(path)
                    ? BASE + FILES.get(path)
                    : VENDOR.containsKey(path) ? UPLOT + uplotVersion() + "/" + VENDOR.get(path) : null;
            if (file == null) {
                send(ex, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            try (InputStream in = DashboardServer.class.getResourceAsStream(file)) {
                if (in == null) {
                    throw new IOException("resource " + file + " is missing");
                }
                send(ex, 200, contentType(file), in.readAllBytes());
            }
        }
    }

    private void config(HttpExchange ex) throws IOException {
        if (!websocket.isRunning()) {
            send(
                    ex,
                    503,
                    "application/json",
                    "{\"error\":\"the WebSocket server is not running\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String json = "{\"websocketUrl\":\"" + websocket.uri() + "\",\"subprotocol\":\"" + Messages.SUBPROTOCOL
                + "\",\"protocolVersion\":" + Messages.PROTOCOL_VERSION
                + ",\"authRequired\":" + websocket.config().authRequired() + "}";
        send(ex, 200, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** The version of the uPlot WebJar on the classpath, from its Maven properties. */
    private static String uplotVersion() throws IOException {
        try (InputStream in =
                DashboardServer.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            if (in == null) {
                throw new IOException("the uPlot WebJar (org.webjars.npm:uplot) is not on the classpath");
            }
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("version");
        }
    }

    private static String contentType(String file) {
        if (file.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (file.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        return "text/css; charset=utf-8";
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Content-Security-Policy", "default-src 'self'; connect-src 'self' ws: wss:; frame-ancestors 'none'");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /**
     * Also serves {@code metrics} at {@code /metrics} (nothing is served there until this is called).
     * The endpoint has no authentication: keep the dashboard on a private address. Call once.
     */
    public DashboardServer serveMetrics(MetricsExposition metrics) {
        http.createContext("/metrics", new MetricsHandler(Objects.requireNonNull(metrics, "metrics must not be null")));
        return this;
    }

    /**
     * Also serves at {@code /health} (and {@code /health/ready}, {@code /health/live}) the health of the
     * WebSocket server and of {@code checks} as JSON: see {@link HealthHandler}. Call once.
     */
    public DashboardServer serveHealth(Collection<? extends HealthCheck> checks) {
        List<HealthCheck> all = new ArrayList<>();
        all.add(this::websocketHealth);
        all.addAll(checks);
        List<HealthCheck> fixed = List.copyOf(all);
        http.createContext("/health", new HealthHandler(() -> fixed));
        return this;
    }

    /** UP while the WebSocket server runs. */
    private OutputHealth websocketHealth() {
        return websocket.isRunning()
                ? OutputHealth.up("websocket", "serving at " + websocket.uri())
                : OutputHealth.down("websocket", "the WebSocket server is not running");
    }

    /** Stops serving; the WebSocket server is not affected. */
    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
