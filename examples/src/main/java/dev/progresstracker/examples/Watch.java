package dev.progresstracker.examples;

import dev.progresstracker.core.state.RunProjection;
import dev.progresstracker.examples.terminal.ProgressLine;
import dev.progresstracker.examples.terminal.TerminalView;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Terminal watcher: follows a running tracker over WebSocket and renders the demo's view. */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        version = "progress-tracker watch 0.1",
        description = "Follows a tracker's progress over WebSocket (reconnects and resumes after a drop).")
public final class Watch implements Callable<Integer> {

    @Option(
            names = "--url",
            defaultValue = "${env:TRACKER_WATCH_URL:-ws://127.0.0.1:8765/}",
            description = "WebSocket URL (default ${DEFAULT-VALUE}).")
    URI url;

    @Option(
            names = "--run",
            defaultValue = "*",
            description = "Run id to follow (default: the first run the server reports).")
    String runId;

    @Option(
            names = "--token",
            defaultValue = "${env:TRACKER_WS_TOKEN}",
            description = "Bearer token (TRACKER_WS_TOKEN).")
    String token;

    @Option(names = "--plain", description = "Plain log lines instead of a live progress bar.")
    boolean plain;

    @Option(
            names = "--timeout",
            defaultValue = "PT10M",
            description = "Give up after this long (default ${DEFAULT-VALUE}).")
    Duration timeout;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Watch()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        CountDownLatch finished = new CountDownLatch(1);
        AtomicReference<String> followed = new AtomicReference<>("*".equals(runId) ? null : runId);
        try (TerminalView view = TerminalView.create(System.out, plain);
                WatchClient client = new WatchClient(url, runId, token, p -> {
                    followed.compareAndSet(null, p.runId());
                    if (p.runId().equals(followed.get())) {
                        view.render(WatchClient.line(p));
                        if (p.info().status().isFinished()) {
                            finished.countDown();
                        }
                    }
                })) {
            long deadline = System.nanoTime() + timeout.toNanos();
            if (!client.connect(Duration.ofSeconds(5))) {
                System.err.println("watch: cannot connect to " + url
                        + (client.lastError() == null ? "" : ": " + client.lastError()));
                return 2;
            }
            while (!finished.await(500, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() > deadline) {
                    System.err.println("watch: gave up after " + timeout);
                    return 3;
                }
                client.reconnectIfNeeded(Duration.ofSeconds(2));
            }
            RunProjection p = client.run(followed.get()).orElseThrow();
            ProgressLine last = WatchClient.line(p);
            view.erase(); // the bar's line goes; this is the one final line
            System.out.println("watch: run " + p.runId() + " is " + p.info().status()
                    + String.format(java.util.Locale.ROOT, " %.1f%%", last.percent()) + " · " + last.describe()
                    + " · after " + p.lastSequence() + " events");
        }
        return 0;
    }
}
