package dev.progresstracker.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.storage.FileProgressStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the demo as a process, kills it mid-run (SIGKILL), resumes it, and counts every sequence number. */
class DemoKillResumeIT {

    private static final Path DEMO_JAR = Path.of("target", "demo.jar");

    private static Process demo(Path workDir, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                DEMO_JAR.toAbsolutePath().toString()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .start();
    }

    @Test
    void aKilledDemoResumesWithNoLostOrRepeatedSequenceNumbers(@TempDir Path work) throws Exception {
        assertThat(DEMO_JAR)
                .as("the shaded demo jar (built in the package phase)")
                .exists();
        String runId = "kill-resume-1";
        Process first =
                demo(work, List.of("--run-id", runId, "--speed", "4", "--plain", "--no-websocket", "--seed", "7"));
        List<String> firstOutput = new ArrayList<>();
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                firstOutput.add(line);
                if (line.contains("phase data-plane")) {
                    break;
                }
            }
            Thread.sleep(700);
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            first.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(firstOutput)
                .as("the demo reached the data plane before it was killed")
                .anyMatch(l -> l.contains("phase data-plane"));

        long storedBefore;
        try (FileProgressStore store =
                FileProgressStore.builder().directory(work.resolve("data")).build()) {
            RunState killed = store.loadRun(runId).orElseThrow();
            assertThat(killed.info().status()).isEqualTo(RunStatus.IN_PROGRESS);
            storedBefore = killed.lastSequence();
        }
        assertThat(storedBefore).isGreaterThan(20);

        Process second = demo(work, List.of("--resume", runId, "--speed", "40", "--plain", "--no-websocket"));
        String secondOutput = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).as(secondOutput).isZero();
        assertThat(secondOutput).contains("Resuming run " + runId).contains("upgrade completed");

        try (FileProgressStore store =
                FileProgressStore.builder().directory(work.resolve("data")).build()) {
            RunState done = store.loadRun(runId).orElseThrow();
            assertThat(done.info().status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(done.info().percent()).isEqualTo(100.0);
            List<ProgressEvent> all =
                    store.eventsSince(runId, 0, Integer.MAX_VALUE).orElseThrow();
            assertThat(all).hasSize((int) done.lastSequence());
            for (int i = 0; i < all.size(); i++) {
                assertThat(all.get(i).sequence()).as("event #%d", i + 1).isEqualTo(i + 1);
            }
            assertThat(all.stream().map(ProgressEvent::eventId).distinct().count())
                    .isEqualTo(all.size());
            assertThat(done.lastSequence()).isGreaterThan(storedBefore);
        }
        assertThat(Files.list(work.resolve("data").resolve("runs")).count()).isEqualTo(1);
    }

    @Test
    void resumingAnUnknownRunIsAClearError(@TempDir Path work) throws Exception {
        Process p = demo(work, List.of("--resume", "no-such-run", "--no-websocket"));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        assertThat(out).contains("no run 'no-such-run' is stored");
    }
}
