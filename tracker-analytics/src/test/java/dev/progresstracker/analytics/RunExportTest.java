package dev.progresstracker.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.progresstracker.core.CallOutcome;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.RunUsage;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.core.UsagePricing;
import dev.progresstracker.core.UsageTotals;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.test.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** A stored run exported as CSV and JSON: quoting, shapes, usage rows, the rebuilt report. */
class RunExportTest {

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final InMemoryProgressStore store = new InMemoryProgressStore();

    /** Runs the fixture into {@link #store}; returns the live tracker's usage before it closed. */
    private RunUsage run() {
        try (ProgressTracker t = ProgressTracker.builder()
                .runId("export")
                .clock(clock)
                .store(store)
                .config(TrackerConfig.builder()
                        .trackingMode(TrackingMode.ENHANCED)
                        .pricing(UsagePricing.builder()
                                .currency("EUR")
                                .model("m", 1.0, 2.0)
                                .build())
                        .build())
                .build()) {
            t.addTasks(List.of(
                    TaskSpec.of("ng", "Node group, \"blue\"", TaskType.UPGRADE_PLAN),
                    TaskSpec.child("ng", "n1", "Drain node 1", TaskType.UPGRADE_STEP),
                    new TaskSpec(
                            "n2", "Node 2", TaskType.UPGRADE_STEP, "ng", 3), // weight 3: the quality mean weighs it
                    TaskSpec.of("v", "Validate", TaskType.VALIDATION)));
            t.startUpgrade("drain");
            t.startTask("n1");
            t.recordApiCall("n1", CallOutcome.SUCCEEDED, Duration.ofMillis(20));
            t.recordApiCall("n1", CallOutcome.FAILED, Duration.ofMillis(40));
            t.recordRateLimit("n1", Duration.ofSeconds(2));
            t.recordUsage("n1", 1000, 500, "m");
            t.setQuality("n1", 0.8);
            clock.advanceSeconds(30);
            t.completeTask("n1");
            t.startTask("n2");
            t.setQuality("n2", 0.6);
            clock.advanceSeconds(30);
            t.updateTaskProgress("n2", 50, "half, then \"more\"\nsecond line", null);
            t.completeTask("n2");
            t.flush(Duration.ofSeconds(5));
            return t.usage();
        }
    }

    /** Parses RFC 4180 lines (enough for the test: quoted fields may hold commas, quotes, LF). */
    private static List<List<String>> parse(String csv) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(f.toString());
                f.setLength(0);
            } else if (c == '\r') {
                row.add(f.toString());
                f.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++; // \n
            } else {
                f.append(c);
            }
        }
        return rows;
    }

    @Test
    void fieldsWithCommasQuotesAndNewlinesAreQuoted() {
        assertThat(RunExport.field("plain")).isEqualTo("plain");
        assertThat(RunExport.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(RunExport.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(RunExport.field("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(RunExport.field("cr\r")).isEqualTo("\"cr\r\"");
        assertThat(RunExport.field(null)).isEmpty();
        assertThat(RunExport.field(100.0)).isEqualTo("100");
        assertThat(RunExport.field(0.25)).isEqualTo("0.25");
    }

    @Test
    void tasksCsvRoundTripsTheAwkwardNamesAndCarriesUsage() {
        run();
        List<List<String>> rows = parse(RunExport.load(store, "export").tasksCsv());
        assertThat(rows).hasSize(5).allSatisfy(r -> assertThat(r).hasSize(21));
        List<String> header = rows.get(0);
        java.util.function.Function<String, List<String>> task =
                id -> rows.stream().filter(r -> r.get(0).equals(id)).findFirst().orElseThrow();
        assertThat(task.apply("ng").get(header.indexOf("name"))).isEqualTo("Node group, \"blue\"");
        List<String> n1 = task.apply("n1");
        assertThat(n1.get(header.indexOf("name"))).isEqualTo("Drain node 1");
        assertThat(n1.get(header.indexOf("parentTaskId"))).isEqualTo("ng");
        assertThat(n1.get(header.indexOf("status"))).isEqualTo("COMPLETED");
        assertThat(n1.get(header.indexOf("apiCalls"))).isEqualTo("2");
        assertThat(n1.get(header.indexOf("apiCallsFailed"))).isEqualTo("1");
        assertThat(n1.get(header.indexOf("rateLimitDelayMillis"))).isEqualTo("2000");
        assertThat(n1.get(header.indexOf("cost"))).isEqualTo("2");
        assertThat(n1.get(header.indexOf("currency"))).isEqualTo("EUR");
        assertThat(n1.get(header.indexOf("startedAt"))).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(task.apply("v").get(header.indexOf("startedAt")))
                .as("null is empty")
                .isEmpty();
    }

    @Test
    void eventsAndUsageCsv() {
        run();
        RunExport x = RunExport.load(store, "export");
        List<List<String>> events = parse(x.eventsCsv());
        assertThat(events.get(0)).containsExactly("sequence", "time", "type", "taskId", "status", "percent", "message");
        assertThat(events).hasSize(x.events().size() + 1);
        assertThat(events.stream().skip(1).map(r -> Long.parseLong(r.get(0)))).isSorted();
        assertThat(events).anySatisfy(r -> assertThat(r.get(6)).isEqualTo("half, then \"more\"\nsecond line"));
        List<List<String>> usage = parse(x.usageCsv());
        assertThat(usage.get(0))
                .containsExactly(
                        "scope",
                        "tasks",
                        "completedTasks",
                        "apiCalls",
                        "apiCallsFailed",
                        "rateLimitHits",
                        "rateLimitDelayMillis",
                        "tokensIn",
                        "tokensOut",
                        "cost",
                        "currency",
                        "weightedQuality",
                        "retries");
        assertThat(usage)
                .extracting(r -> r.get(0))
                .as("a row per type, then the run's")
                .containsExactlyInAnyOrder("scope", "UPGRADE_PLAN", "UPGRADE_STEP", "VALIDATION", "RUN")
                .endsWith("RUN");
        List<String> run = row(usage, "RUN");
        assertThat(run.subList(0, 11))
                .as("RUN: 4 tasks (the parent too), 2 completed leaves, 2 calls, 1 failed, 1 hit, "
                        + "2000 ms, 1000/500 tokens, 2 EUR")
                .containsExactly("RUN", "4", "2", "2", "1", "1", "2000", "1000", "500", "2", "EUR");
        assertThat(Double.parseDouble(run.get(11)))
                .as("quality weighted by task weight: (0.8 × 1 + 0.6 × 3) / 4, not 0.7")
                .isCloseTo(0.65, within(1e-9));
        assertThat(run.get(12)).as("no retries").isEqualTo("0");
        assertThat(row(usage, "UPGRADE_PLAN"))
                .as("the parent's row: counted, no usage, no completed leaf")
                .containsExactly("UPGRADE_PLAN", "1", "0", "0", "0", "0", "0", "0", "0", "0", "", "", "0");
    }

    private static List<String> row(List<List<String>> rows, String scope) {
        return rows.stream().filter(r -> r.get(0).equals(scope)).findFirst().orElseThrow();
    }

    @Test
    void usageStepRowIsComputedByHand() {
        run();
        List<String> steps = row(parse(RunExport.load(store, "export").usageCsv()), "UPGRADE_STEP");
        assertThat(steps.subList(0, 11))
                .as(
                        "n1 and n2: both completed, n1's 2 calls (1 failed), 1 hit of 2 s, 1000/500 tokens at 1/2 EUR per 1000")
                .containsExactly("UPGRADE_STEP", "2", "2", "2", "1", "1", "2000", "1000", "500", "2", "EUR");
        assertThat(Double.parseDouble(steps.get(11))).isCloseTo(0.65, within(1e-9));
    }

    @Test
    void usageRowsFromTheStoreMatchTheLiveTrackersUsage() {
        // The point is agreement between two paths: the live tracker's usage() and the export
        // rebuilt from what the store holds; the expected values come from the former.
        RunUsage live = run();
        List<List<String>> rows = parse(RunExport.load(store, "export").usageCsv());
        assertThat(rows).hasSize(live.byType().size() + 2);
        live.byType().forEach((type, totals) -> assertSameTotals(row(rows, type.name()), totals));
        assertSameTotals(row(rows, "RUN"), live.run());
    }

    private static void assertSameTotals(List<String> row, UsageTotals expected) {
        assertThat(Long.parseLong(row.get(1))).as(row.get(0) + " tasks").isEqualTo(expected.tasks());
        assertThat(Long.parseLong(row.get(2))).as(row.get(0) + " completed").isEqualTo(expected.completedTasks());
        assertThat(Long.parseLong(row.get(3))).as(row.get(0) + " calls").isEqualTo(expected.apiCalls());
        assertThat(Long.parseLong(row.get(7))).as(row.get(0) + " tokens in").isEqualTo(expected.tokensIn());
        assertThat(Double.parseDouble(row.get(9))).as(row.get(0) + " cost").isEqualTo(expected.cost());
        if (expected.quality().isPresent()) {
            assertThat(Double.parseDouble(row.get(11)))
                    .isEqualTo(expected.quality().getAsDouble());
        } else {
            assertThat(row.get(11)).as(row.get(0) + " quality").isEmpty();
        }
    }

    @Test
    void jsonHasRunEventsUsageAndReport() throws Exception {
        run();
        RunExport x = RunExport.load(store, "export");
        JsonNode j = new ObjectMapper().readTree(x.json());
        assertThat(Arrays.asList(j.fieldNames().next(), j.size())).containsExactly("run", 4);
        assertThat(j.path("events").size()).isEqualTo(x.events().size());
        assertThat(j.path("events").get(0).path("type").asText()).isNotEmpty();
        assertThat(j.path("usage").get(3).path("scope").asText()).isEqualTo("RUN");
        assertThat(j.path("usage").get(3).path("cost").asDouble()).isEqualTo(2.0);
        assertThat(j.path("usage").get(3).path("weightedQuality").asDouble()).isCloseTo(0.65, within(1e-9));
        assertThat(j.path("usage").get(3).path("retries").asLong()).isZero();
        JsonNode report = j.path("report");
        assertThat(report.path("runId").asText()).isEqualTo("export");
        assertThat(report.path("throughput").path("averageTasksPerMinute").asDouble())
                .as("2 leaves in 1 min")
                .isEqualTo(2.0);
        assertThat(report.path("problems").isArray()).isTrue();
        assertThat(report.path("problems")).isEmpty();
    }

    @Test
    void anUnknownRunIsNamed() {
        run();
        assertThatThrownBy(() -> RunExport.load(store, "nope"))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("run 'nope' is not in the store");
    }
}
