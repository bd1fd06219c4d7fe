package dev.progresstracker.examples;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import dev.progresstracker.analytics.BatchAdvisorConfig;
import dev.progresstracker.analytics.BatchSizeAdvisor;
import dev.progresstracker.analytics.ResourceProbe;
import dev.progresstracker.analytics.TrackerAnalytics;
import dev.progresstracker.analytics.guice.AnalyticsModule;
import dev.progresstracker.callbacks.CallbackConfig;
import dev.progresstracker.callbacks.CallbackManager;
import dev.progresstracker.callbacks.guice.CallbackModule;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.core.UsagePricing;
import dev.progresstracker.core.UsageTotals;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.RunEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.guice.TrackerModule;
import dev.progresstracker.examples.terminal.ProgressLine;
import dev.progresstracker.examples.terminal.TerminalView;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The demo: a simulated EKS upgrade through a tracker wired with Guice — file storage under
 * {@code ./data}, callbacks printing milestones, and the other outputs as configured.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        version = "progress-tracker demo 0.1",
        sortOptions = false,
        description = {
            "Runs a simulated EKS cluster upgrade through the progress tracker.",
            "Options that name a TRACKER_* variable can also be set by it."
        })
public final class Demo implements Callable<Integer> {

    @Option(
            names = "--speed",
            defaultValue = "${env:TRACKER_DEMO_SPEED:-1.0}",
            description =
                    "Time multiplier: 1 takes about a minute, 10 about six seconds (default ${DEFAULT-VALUE}; TRACKER_DEMO_SPEED).")
    double speed;

    @Option(
            names = "--cluster",
            defaultValue = "${env:TRACKER_DEMO_CLUSTER:-demo-cluster}",
            description = "Cluster name (default ${DEFAULT-VALUE}; TRACKER_DEMO_CLUSTER).")
    String cluster;

    @Option(names = "--run-id", description = "Run id of a new run (default upgrade-<cluster>-<time>).")
    String runId;

    @Option(names = "--resume", paramLabel = "RUN_ID", description = "Continue a run that was stopped or killed.")
    String resume;

    @Option(
            names = "--data-dir",
            defaultValue = "${env:TRACKER_STORAGE_DIR:-data}",
            description = "Where runs are stored (default ${DEFAULT-VALUE}; TRACKER_STORAGE_DIR).")
    Path dataDir;

    @Option(names = "--plain", description = "Plain log lines instead of a live progress bar.")
    boolean plain;

    @Option(
            names = "--linger",
            defaultValue = "PT0S",
            description =
                    "Keep the WebSocket server and dashboard up this long after the upgrade, ISO-8601 (e.g. PT5M; default ${DEFAULT-VALUE}).")
    Duration linger;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Seed of the simulated durations (default ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Mixin
    DemoOutputs outputs = new DemoOutputs();

    @CommandLine.Mixin
    DemoStorage storage = new DemoStorage();

    private final PrintStream out;
    private final Function<String, String> env;

    public Demo() {
        this(System.out, System::getenv);
    }

    Demo(PrintStream out, Function<String, String> env) {
        this.out = out;
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Demo()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cmd = new CommandLine(this);
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new CommandLine.ParameterException(cmd, "--speed must be a positive number, got " + speed);
        }
        if (resume != null && runId != null) {
            throw new CommandLine.ParameterException(cmd, "--resume and --run-id exclude each other");
        }
        String id = resume != null
                ? resume
                : runId != null
                        ? runId
                        : "upgrade-" + cluster + "-"
                                + LocalDateTime.now(Clock.systemUTC())
                                        .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Injector injector = Guice.createInjector(modules(id));
        TrackerFactory factory = injector.getInstance(TrackerFactory.class);
        try {
            if (resume != null && factory.store().loadRun(resume).isEmpty()) {
                throw new CommandLine.ParameterException(
                        cmd,
                        "--resume: no run '" + resume + "' is stored "
                                + (storage.onDynamoDb(env)
                                        ? "in the DynamoDB table"
                                        : "under " + dataDir.toAbsolutePath()));
            }
            outputs.describe(injector, out);
            storage.followFleet(injector, id, out);
            run(injector, id);
            if (!linger.isZero()) {
                out.println("Upgrade done; outputs stay up for " + linger.toSeconds() + " s (--linger).");
                Thread.sleep(linger.toMillis());
            }
        } finally {
            factory.close();
            outputs.summarize(injector, out);
            outputs.close(injector);
            storage.close();
        }
        return 0;
    }

    List<Module> modules(String id) {
        TrackerConfig trackerConfig = TrackerConfig.fromEnvironment(env);
        if (env.apply("TRACKER_TRACKING_MODE") == null) {
            trackerConfig = trackerConfig.toBuilder()
                    .trackingMode(TrackingMode.COMPREHENSIVE)
                    .build();
        }
        if (trackerConfig.pricing().isEmpty()) {
            // An example price for the simulated agent's model (TRACKER_PRICING overrides): the library has none built
            // in.
            trackerConfig = trackerConfig.toBuilder()
                    .pricing(UsagePricing.builder()
                            .model(SimulatedUpgrade.MODEL, 0.003, 0.015)
                            .build())
                    .build();
        }
        List<Module> modules = new ArrayList<>();
        modules.add(TrackerModule.forRun(trackerConfig, id, "plan-1.31", cluster));
        modules.add(new AnalyticsModule());
        // The demo is the agent's process: its resource-pressure alert watches this JVM.
        modules.add(
                binder -> com.google.inject.multibindings.OptionalBinder.newOptionalBinder(binder, ResourceProbe.class)
                        .setBinding()
                        .toInstance(ResourceProbe.jvm()));
        modules.add(storage.module(env, out, dataDir));
        modules.add(new CallbackModule(CallbackConfig.fromEnvironment(env)));
        modules.addAll(outputs.modules(env, out, dataDir));
        return modules;
    }

    private void run(Injector injector, String id) throws InterruptedException {
        ScheduledExecutorService screen = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-screen");
            t.setDaemon(true);
            return t;
        });
        try (ProgressTracker tracker = injector.getInstance(ProgressTracker.class);
                TerminalView view = TerminalView.create(out, plain)) {
            out.println((resume != null ? "Resuming run " : "Run ") + id + " — stored "
                    + (storage.onDynamoDb(env) ? "in DynamoDB" : "under " + dataDir.toAbsolutePath()));
            milestones(injector.getInstance(CallbackManager.class), view);
            screen.scheduleAtFixedRate(
                    () -> view.render(ProgressLine.of(tracker.summary())), 0, 200, TimeUnit.MILLISECONDS);
            BatchSizeAdvisor advisor = new BatchSizeAdvisor(
                    BatchAdvisorConfig.builder()
                            .initialBatchSize(2)
                            .maxBatchSize(6)
                            .cooldown(Duration.ofMillis(Math.round(1500 / speed)))
                            .build(),
                    Clock.systemUTC());
            new SimulatedUpgrade(tracker, speed, seed, new AdvisedBatches(advisor)).run();
            tracker.flush(Duration.ofSeconds(10));
            screen.shutdown();
            screen.awaitTermination(5, TimeUnit.SECONDS);
            view.render(ProgressLine.of(tracker.summary()));
            view.note(TrackerAnalytics.report(tracker).toText());
            view.note(usageLine(tracker.usage().run()));
        } finally {
            screen.shutdownNow();
        }
    }

    /** The run's usage in one line of the final report. */
    static String usageLine(UsageTotals u) {
        return String.format(
                java.util.Locale.ROOT,
                "Usage: %d API calls (%.1f %% successful), %d throttles (%.1f s waited), %d + %d tokens, "
                        + "cost %.4f %s (%.4f per completed step), %d retries, quality %s",
                u.apiCalls(),
                100 * u.successRate().orElse(1),
                u.rateLimitHits(),
                u.rateLimitDelay().toMillis() / 1000.0,
                u.tokensIn(),
                u.tokensOut(),
                u.cost(),
                u.currency() == null ? "" : u.currency(),
                u.costPerCompletedTask().orElse(0),
                u.retries(),
                u.quality().isPresent()
                        ? String.format(
                                java.util.Locale.ROOT, "%.2f", u.quality().getAsDouble())
                        : "n/a");
    }

    /** Callbacks as an agent would register them: react to failures, phase changes and the end. */
    private static void milestones(CallbackManager callbacks, TerminalView view) {
        callbacks.onStatus(TaskStatus.FAILED, e -> {
            TaskEvent te = (TaskEvent) e;
            view.note("  ✗ " + te.task().name() + " failed: " + te.task().message() + " (attempt "
                    + te.task().attempt() + ")");
        });
        callbacks.on(
                EventType.PHASE_CHANGED, e -> view.note("  → phase " + e.run().phase()));
        callbacks.on(
                EventType.ALERT_RAISED,
                e -> view.note("  ! alert: "
                        + ((dev.progresstracker.core.event.AlertEvent) e)
                                .alert()
                                .message()));
        callbacks.on(
                EventType.UPGRADE_COMPLETED, e -> view.note("  ✓ upgrade completed (" + e.sequence() + " events)"));
        callbacks.on(
                EventType.UPGRADE_FAILED,
                e -> view.note("  ✗ upgrade failed: " + ((RunEvent.UpgradeFailed) e).message()));
    }
}
