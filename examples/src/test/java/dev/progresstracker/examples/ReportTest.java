package dev.progresstracker.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.progresstracker.core.CallOutcome;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.UsagePricing;
import dev.progresstracker.storage.FileProgressStore;
import dev.progresstracker.test.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report command over a file store written by a tracker, read read-only. */
class ReportTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private void write() {
        MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
        try (FileProgressStore store =
                        FileProgressStore.builder().directory(dir).build();
                ProgressTracker t = ProgressTracker.builder()
                        .runId("r1")
                        .clock(clock)
                        .store(store)
                        .config(TrackerConfig.builder()
                                .pricing(UsagePricing.builder().model("m", 1, 2).build())
                                .build())
                        .build()) {
            t.addTasks(List.of(TaskSpec.of("a", "Drain, group \"a\"", TaskType.UPGRADE_STEP)));
            t.startUpgrade(null);
            t.startTask("a");
            t.recordApiCall("a", CallOutcome.SUCCEEDED, Duration.ofMillis(10));
            t.recordUsage("a", 1000, 1000, "m");
            t.setQuality("a", 0.9);
            clock.advanceSeconds(30);
            t.completeTask("a");
            t.completeUpgrade();
            t.flush(Duration.ofSeconds(5));
        }
    }

    private int report(String... args) {
        return Report.run(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void textReportOfTheNewestRunWithUsage() {
        write();
        assertThat(report("--store", dir.toString())).isZero();
        assertThat(out())
                .contains("Run r1: COMPLETED, 100.0 % done")
                .contains("Throughput:")
                .contains("RUN: 1 calls (0 failed), 0 rate limits, 1000/1000 tokens, cost 3 USD, quality 0.9")
                .contains("No earlier completed runs to compare with.");
    }

    @Test
    void csvTablesAndJson() throws Exception {
        write();
        assertThat(report("--store", dir.toString(), "--run", "r1", "--format", "csv"))
                .isZero();
        assertThat(out())
                .startsWith("taskId,parentTaskId,name,")
                .contains("a,,\"Drain, group \"\"a\"\"\",UPGRADE_STEP,COMPLETED,100");
        out.reset();
        assertThat(report("--store", dir.toString(), "--run", "r1", "--format", "CSV", "--table", "usage"))
                .isZero();
        assertThat(out().lines())
                .last()
                .as("weighted quality, then retries")
                .isEqualTo("RUN,1,1,1,0,0,0,1000,1000,3,USD,0.9,0");
        out.reset();
        assertThat(report("--store", dir.toString(), "--run", "r1", "--format", "json"))
                .isZero();
        JsonNode j = new ObjectMapper().readTree(out());
        assertThat(j.path("report").path("status").asText()).isEqualTo("COMPLETED");
        assertThat(j.path("events").size()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void anUnknownRunOrStoreIsAnErrorNamingIt() {
        write();
        assertThat(report("--store", dir.toString(), "--run", "nope")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("run 'nope' is not in the store");
        assertThat(report("--store", dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no store directory");
    }
}
