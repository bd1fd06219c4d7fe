package dev.progresstracker.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.UsagePricing;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.spi.OverflowPolicy;
import dev.progresstracker.test.MutableClock;
import dev.progresstracker.test.RecordingSink;
import dev.progresstracker.test.SampleRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.event.ruler.Machine;

/**
 * The example rules in docs/rules, run through AWS's event-ruler against real events in their
 * EventBridge envelope: each matches exactly what it should.
 */
class EventRulesTest {

    private static final Path RULES = Path.of(System.getenv().getOrDefault("TRACKER_TEST_ROOT", ".."))
            .resolve("docs")
            .resolve("rules");

    /** SampleRuns' usage run records 1,500 + 400 tokens of model-a: 4.50 + 6.00 = 10.50 USD. */
    private static final UsagePricing PRICING =
            UsagePricing.builder().model("model-a", 3, 15).build();

    private static List<ProgressEvent> run(
            String runId, String cluster, BiConsumer<ProgressTracker, MutableClock> driver) {
        RecordingSink sink = new RecordingSink("rules", OverflowPolicy.BLOCK, 1 << 20);
        MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
        try (ProgressTracker t = ProgressTracker.builder()
                .runId(runId)
                .clusterName(cluster)
                .clock(clock)
                .sink(sink)
                .config(TrackerConfig.builder().pricing(PRICING).build())
                .build()) {
            driver.accept(t, clock);
            t.flush(Duration.ofSeconds(10));
        }
        return sink.events();
    }

    private static List<ProgressEvent> corpus() {
        List<ProgressEvent> all = new ArrayList<>();
        all.addAll(run("r-prod-1", "prod-eu", SampleRuns::drive));
        all.addAll(run("r-prod-2", "prod-eu", SampleRuns::driveFailure));
        all.addAll(run("r-stage-1", "staging", SampleRuns::drive));
        all.addAll(run("r-stage-2", "staging", SampleRuns::driveFailure));
        all.addAll(run("r-prod-usage", "prod-eu", SampleRuns::driveUsage));
        all.addAll(run("r-stage-usage", "staging", SampleRuns::driveUsage));
        all.addAll(run("r-cheap", "prod-eu", (t, c) -> { // 0.30 + 0.15 USD: under the budget
            t.addTask("cheap", "Cheap step", TaskType.UPGRADE_STEP, null);
            t.startUpgrade("preflight");
            t.recordUsage("cheap", 100, 10, "model-a");
        }));
        BiConsumer<ProgressTracker, MutableClock> validationFails = (t, c) -> {
            t.addTask("checks", "Post-upgrade checks", TaskType.VALIDATION, null);
            t.addTask("drain", "Drain", TaskType.UPGRADE_STEP, null);
            t.startUpgrade("validation");
            t.startTask("checks");
            t.updateTaskProgress("checks", 50, "exactly half", Map.of());
            t.updateTaskProgress("checks", 50.5, "just over", Map.of());
            t.failTask("checks", "3 pods not ready");
            t.startTask("drain");
            t.failTask("drain", "PDB blocks eviction");
            t.setCurrentPhase("data-plane-extra");
        };
        all.addAll(run("r-prod-3", "prod-eu", validationFails));
        all.addAll(run("r-stage-3", "staging", validationFails));
        return all;
    }

    private static String envelope(ProgressEvent e) {
        return RuleEnvelopes.of(
                e, "arn:aws:eks:eu-west-1:123456789012:cluster/" + e.header().clusterName(), false);
    }

    private static void check(String file, Predicate<ProgressEvent> expected) throws Exception {
        Machine machine = Machine.builder().build();
        machine.addRule(file, Files.readString(RULES.resolve(file)));
        List<ProgressEvent> corpus = corpus();
        List<ProgressEvent> matched = new ArrayList<>();
        for (ProgressEvent e : corpus) {
            if (!machine.rulesForJSONEvent(envelope(e)).isEmpty()) {
                matched.add(e);
            }
        }
        List<ProgressEvent> want = corpus.stream().filter(expected).toList();
        assertThat(want).as("the corpus has events the rule must match").isNotEmpty();
        assertThat(matched).as(file).containsExactlyElementsOf(want);
    }

    @Test
    void failuresOfOneCluster() throws Exception {
        check(
                "failures-of-cluster-prod-eu.json",
                e -> "prod-eu".equals(e.header().clusterName())
                        && (e.type() == EventType.UPGRADE_FAILED || e.type() == EventType.TASK_FAILED));
    }

    @Test
    void phaseChangesToDataPlane() throws Exception {
        check(
                "phase-changed-to-data-plane.json",
                e -> e.type() == EventType.PHASE_CHANGED
                        && "data-plane".equals(e.run().phase()));
    }

    @Test
    void validationTasksThatFailed() throws Exception {
        check(
                "validation-task-failed.json",
                e -> e.type() == EventType.TASK_FAILED
                        && ((TaskEvent) e).task().type().equals(TaskType.VALIDATION));
    }

    @Test
    void taskProgressOverHalf() throws Exception {
        check(
                "task-progress-over-50-percent.json",
                e -> e.type() == EventType.TASK_PROGRESS
                        && ((TaskEvent) e).task().percent() > 50);
    }

    @Test
    void taskCostOverBudget() throws Exception {
        check(
                "task-cost-over-budget.json",
                e -> e.type() == EventType.TASK_USAGE
                        && ((TaskEvent) e).task().usage().cost() > 5);
    }

    @Test
    void everyRuleFileIsChecked() throws Exception {
        try (Stream<Path> s = Files.list(RULES)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly(
                            "failures-of-cluster-prod-eu.json",
                            "phase-changed-to-data-plane.json",
                            "task-cost-over-budget.json",
                            "task-progress-over-50-percent.json",
                            "validation-task-failed.json");
        }
    }

    @Test
    void eventsDocListsEveryDetailTypeWithAValidExample() throws Exception {
        String doc = Files.readString(RULES.getParent().resolve("events.md"));
        for (EventType t : EventType.values()) {
            assertThat(doc).contains("### " + t.wireName() + "\n");
        }
        var schemaFactory =
                com.networknt.schema.JsonSchemaFactory.getInstance(com.networknt.schema.SpecVersion.VersionFlag.V4);
        String[] blocks = doc.split("```json\n");
        int checked = 0;
        for (int i = 1; i < blocks.length; i++) {
            String json = blocks[i].substring(0, blocks[i].indexOf("```"));
            var node = WireFormat.reader().readTree(json);
            EventType type = EventType.fromWireName(node.get("type").asText());
            assertThat(schemaFactory.getSchema(EventSchemas.schema(type)).validate(node))
                    .as(type.wireName())
                    .isEmpty();
            checked++;
        }
        assertThat(checked).isEqualTo(EventType.values().length);
    }
}
