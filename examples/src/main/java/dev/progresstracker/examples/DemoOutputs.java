package dev.progresstracker.examples;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.progresstracker.core.HealthReport;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.spi.HealthCheck;
import dev.progresstracker.eventbridge.EventBridgeConfig;
import dev.progresstracker.eventbridge.EventBridgeSink;
import dev.progresstracker.eventbridge.cloudwatch.CloudWatchConfig;
import dev.progresstracker.eventbridge.cloudwatch.CloudWatchMetrics;
import dev.progresstracker.eventbridge.cloudwatch.MetricSample;
import dev.progresstracker.eventbridge.cloudwatch.TrackerMetric;
import dev.progresstracker.eventbridge.guice.CloudWatchModule;
import dev.progresstracker.eventbridge.guice.EventBridgeModule;
import dev.progresstracker.eventbridge.guice.PrometheusModule;
import dev.progresstracker.websocket.DashboardServer;
import dev.progresstracker.websocket.WebSocketConfig;
import dev.progresstracker.websocket.WebSocketProgressServer;
import dev.progresstracker.websocket.guice.WebSocketModule;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The demo's optional outputs: WebSocket + dashboard, EventBridge, CloudWatch — each on or off by itself. */
final class DemoOutputs {

    @Option(names = "--no-websocket", description = "Switch the WebSocket server and dashboard off.")
    boolean noWebSocket;

    @Option(names = "--ws-port", description = "WebSocket port, 0 for any free one (default 8765; TRACKER_WS_PORT).")
    Integer wsPort;

    @Option(
            names = "--dashboard-port",
            description = "Dashboard HTTP port, 0 for any free one (default 8766; TRACKER_DASHBOARD_PORT).")
    Integer dashboardPort;

    @Option(
            names = "--eventbridge-endpoint",
            description =
                    "EventBridge endpoint, e.g. a local emulator http://127.0.0.1:5000 (TRACKER_EVENTBRIDGE_ENDPOINT).")
    URI eventBridgeEndpoint;

    @Option(
            names = "--bus",
            description = "Event bus name; with no endpoint this publishes to real AWS (TRACKER_EVENTBRIDGE_BUS_NAME).")
    String bus;

    @Option(
            names = "--region",
            description =
                    "AWS region (default from the AWS SDK chain, us-east-1 with an endpoint; TRACKER_EVENTBRIDGE_REGION).")
    String region;

    @Option(
            names = "--cloudwatch-endpoint",
            description =
                    "CloudWatch endpoint, on its own or with EventBridge; it must speak the SDK's CBOR protocol, e.g. ministack (TRACKER_CLOUDWATCH_ENDPOINT).")
    URI cloudWatchEndpoint;

    @Option(
            names = "--prometheus",
            description = "Serve the metrics for Prometheus at the dashboard's /metrics (off by default).")
    boolean prometheus;

    List<Module> modules(Function<String, String> env, PrintStream out, Path dataDir) {
        List<Module> modules = new ArrayList<>();
        modules.addAll(awsModules(env, out, dataDir));
        modules.add(new AbstractModule() {
            @Override
            protected void configure() {
                // The store's health for /health; the (singleton) tracker is looked up at each check, not at injection.
                com.google.inject.Provider<ProgressTracker> tracker = getProvider(ProgressTracker.class);
                Multibinder.newSetBinder(binder(), HealthCheck.class)
                        .addBinding()
                        .toInstance(() -> HealthReport.storeCheck(tracker.get()).check());
            }
        });
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
            if (prometheus) {
                modules.add(new PrometheusModule(false));
            }
        }
        if (prometheus && (noWebSocket || !ws.enabled())) {
            out.println("Prometheus: off (--prometheus needs the dashboard, which serves /metrics)");
        }
        return modules;
    }

    /** Set when the modules are built: which AWS outputs are on. */
    private boolean eventBridgeOn;

    private boolean cloudWatchOn;

    private List<Module> awsModules(Function<String, String> env, PrintStream out, Path dataDir) {
        EventBridgeConfig eb = EventBridgeConfig.fromEnvironment(env);
        CloudWatchConfig cw = CloudWatchConfig.fromEnvironment(env);
        URI ebEndpoint = eventBridgeEndpoint != null ? eventBridgeEndpoint : eb.endpointOverride();
        URI cwEndpoint = cloudWatchEndpoint != null ? cloudWatchEndpoint : cw.endpointOverride();
        boolean busGiven = bus != null || env.apply("TRACKER_EVENTBRIDGE_BUS_NAME") != null;
        eventBridgeOn = eb.enabled() && (ebEndpoint != null || busGiven);
        // Each on its own: an endpoint switches it on, and so does TRACKER_CLOUDWATCH_ENABLED=true (real AWS);
        // EventBridge to real AWS brings CloudWatch along unless that variable says false.
        boolean cloudWatchAsked = cwEndpoint != null
                || "true".equalsIgnoreCase(env.apply("TRACKER_CLOUDWATCH_ENABLED"))
                || (eventBridgeOn && ebEndpoint == null);
        cloudWatchOn = cw.enabled() && cloudWatchAsked;
        String reg = region != null
                ? region
                : eb.region() != null
                        ? eb.region()
                        : cw.region() != null
                                ? cw.region()
                                : ebEndpoint != null || cwEndpoint != null ? "us-east-1" : null;
        List<Module> modules = new ArrayList<>();
        if (eventBridgeOn) {
            EventBridgeConfig.Builder ebb =
                    eb.toBuilder().endpointOverride(ebEndpoint).outboxDirectory(dataDir.resolve("eventbridge-outbox"));
            if (bus != null) {
                ebb.eventBusName(bus);
            }
            if (reg != null) {
                ebb.region(reg);
            }
            EventBridgeConfig ebConfig = ebb.build();
            out.println("EventBridge: bus '" + ebConfig.eventBusName() + "' at "
                    + (ebEndpoint != null ? ebEndpoint : "AWS"));
            modules.add(new EventBridgeModule(ebConfig));
        } else {
            out.println("EventBridge: off (configure with --eventbridge-endpoint or --bus, see --help)");
        }
        if (cloudWatchOn) {
            CloudWatchConfig.Builder cwb = cw.toBuilder().endpointOverride(cwEndpoint);
            if (reg != null) {
                cwb.region(reg);
            }
            out.println("CloudWatch: namespace '" + cw.namespace() + "' at " + (cwEndpoint != null ? cwEndpoint : "AWS")
                    + ", every " + cw.step().toSeconds() + " s and once at the end");
            modules.add(new CloudWatchModule(cwb.build()));
        } else {
            out.println("CloudWatch: off (configure with --cloudwatch-endpoint, see --help)");
        }
        if ((ebEndpoint != null || cwEndpoint != null)
                && env.apply("AWS_ACCESS_KEY_ID") == null
                && !modules.isEmpty()) {
            // Emulators accept any credentials; spare the user the default chain's search.
            modules.add(new AbstractModule() {
                @Override
                protected void configure() {
                    OptionalBinder.newOptionalBinder(binder(), AwsCredentialsProvider.class)
                            .setBinding()
                            .toInstance(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
                }
            });
        }
        return modules;
    }

    /** Starts what must run before the upgrade and says where to look. */
    void describe(Injector injector, PrintStream out) {
        if (injector.getExistingBinding(Key.get(WebSocketProgressServer.class)) != null) {
            WebSocketProgressServer server = injector.getInstance(WebSocketProgressServer.class);
            boolean token = server.config().authRequired();
            out.println("WebSocket: " + server.uri());
            // The token is never printed: the command reads it from the variable the demo was given it in.
            out.println("  watch it: java -cp examples/target/demo.jar dev.progresstracker.examples.Watch --url "
                    + server.uri()
                    + (token ? " --token \"$TRACKER_WS_TOKEN\"   (with TRACKER_WS_TOKEN exported in that shell)" : ""));
            Optional<DashboardServer> dashboard =
                    injector.getInstance(Key.get(new TypeLiteral<Optional<DashboardServer>>() {}));
            dashboard.ifPresent(d -> {
                out.println("Dashboard: " + d.uri()
                        + (token
                                ? "#token=<the token>   (the page reads it from the URL fragment,"
                                        + " which is never sent to the server)"
                                : ""));
                out.println("  health: " + d.uri().resolve("/health"));
                if (prometheus) {
                    out.println("Prometheus: " + d.uri().resolve("/metrics"));
                }
            });
        }
    }

    /**
     * After the factory closed (so the sinks flushed): what EventBridge accepted, so a user sees the
     * events left the process, not only that the sink was configured.
     */
    void summarize(Injector injector, PrintStream out) {
        if (eventBridgeOn) {
            // A singleton: the instance the factory used and closed.
            EventBridgeSink.Stats s =
                    injector.getInstance(EventBridgeSink.class).stats();
            // Published = accepted by EventBridge; the rest is only safe in the outbox until it is sent.
            String counts = s.published() + " accepted by EventBridge in " + s.requests() + " PutEvents calls ("
                    + s.failed() + " dead-lettered, " + s.retried() + " retried)";
            out.println(
                    s.outboxDepth() == 0
                            ? "EventBridge: all events published: " + counts
                            : "EventBridge: NOT all published: " + counts + "; " + s.outboxDepth()
                                    + " safe in the outbox but not yet published (sent when EventBridge answers, or by the next run)");
        }
        if (cloudWatchOn) {
            CloudWatchMetrics.Stats s =
                    injector.getInstance(CloudWatchMetrics.class).stats();
            String counts =
                    s.dataPoints() + " data points accepted by CloudWatch in " + s.calls() + " PutMetricData calls ("
                            + s.failedCalls() + " failed, " + s.failedDataPoints() + " data points in them)";
            out.println(
                    s.failedCalls() == 0
                            ? "CloudWatch: all metrics published: " + counts
                            : "CloudWatch: NOT all published: " + counts);
            out.println("CloudWatch: usage published: "
                    + usageLine(
                            injector.getInstance(CloudWatchMetrics.class).sink().samples()));
        }
    }

    /** The plan series' usage figures under their CloudWatch names, e.g. {@code ApiCalls 120 (ApiCallsFailed 7), ...}. */
    static String usageLine(List<MetricSample> samples) {
        java.util.Map<TrackerMetric, Double> v = new java.util.EnumMap<>(TrackerMetric.class);
        String currency = null;
        for (MetricSample m : samples) {
            if (!m.dimensions().containsKey(TrackerMetric.RUN_ID)) {
                v.merge(
                        m.metric(),
                        m.value(),
                        m.metric().kind() == TrackerMetric.Kind.COUNTER ? Double::sum : (a, b) -> b);
                currency = m.dimensions().getOrDefault(TrackerMetric.CURRENCY, currency);
            }
        }
        java.util.function.Function<TrackerMetric, String> n =
                m -> m.cloudWatchName() + " " + String.format(java.util.Locale.ROOT, "%,.0f", v.getOrDefault(m, 0.0));
        return n.apply(TrackerMetric.API_CALLS) + " (" + n.apply(TrackerMetric.API_CALLS_FAILED) + "), "
                + n.apply(TrackerMetric.RATE_LIMIT_HITS)
                + String.format(
                        java.util.Locale.ROOT,
                        " (RateLimitDelay %.1f s), ",
                        v.getOrDefault(TrackerMetric.RATE_LIMIT_DELAY, 0.0))
                + n.apply(TrackerMetric.TOKENS_IN) + ", "
                + n.apply(TrackerMetric.TOKENS_OUT) + ", EstimatedCost "
                + (currency == null
                        ? "none (nothing priced)"
                        : String.format(
                                java.util.Locale.ROOT,
                                "%.4f %s",
                                v.getOrDefault(TrackerMetric.ESTIMATED_COST, 0.0),
                                currency))
                + ", QualityScore "
                + (v.containsKey(TrackerMetric.QUALITY_SCORE)
                        ? String.format(java.util.Locale.ROOT, "%.2f", v.get(TrackerMetric.QUALITY_SCORE))
                        : "none");
    }

    /** Closes what the tracker factory does not own. */
    void close(Injector injector) {
        if (injector.getExistingBinding(Key.get(WebSocketProgressServer.class)) != null) {
            injector.getInstance(Key.get(new TypeLiteral<Optional<DashboardServer>>() {}))
                    .ifPresent(DashboardServer::close);
        }
    }
}
