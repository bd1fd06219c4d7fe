package dev.progresstracker.examples;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.examples.terminal.ProgressLine;
import dev.progresstracker.examples.terminal.TerminalView;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The demo: a simulated EKS upgrade. */
@Command(name = "demo", mixinStandardHelpOptions = true, version = "progress-tracker demo 0.1",
        description = "Runs a simulated EKS cluster upgrade through the progress tracker.")
public final class Demo implements Callable<Integer> {

    @Option(names = "--speed", defaultValue = "1.0", description = "Time multiplier: 1 takes about a minute, 10 about six seconds (default ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--cluster", defaultValue = "demo-cluster", description = "Cluster name (default ${DEFAULT-VALUE}).")
    String cluster;

    @Option(names = "--plain", description = "Plain log lines instead of a live progress bar.")
    boolean plain;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the simulated durations (default ${DEFAULT-VALUE}).")
    long seed;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Demo()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--speed must be a positive number, got " + speed);
        }
        String runId = "upgrade-" + System.currentTimeMillis();
        ScheduledExecutorService screen = Executors.newSingleThreadScheduledExecutor();
        try (ProgressTracker t = ProgressTracker.builder().runId(runId).clusterName(cluster).planId("plan-1.31").build();
             TerminalView view = TerminalView.create(System.out, plain)) {
            screen.scheduleAtFixedRate(() -> view.render(ProgressLine.of(t.summary())), 0, 200, TimeUnit.MILLISECONDS);
            new SimulatedUpgrade(t, speed, seed, SimulatedUpgrade.BatchPlanner.fixed(3)).run();
            screen.shutdown();
            screen.awaitTermination(5, TimeUnit.SECONDS);
            view.render(ProgressLine.of(t.summary()));
        } finally {
            screen.shutdownNow();
        }
        return 0;
    }
}
