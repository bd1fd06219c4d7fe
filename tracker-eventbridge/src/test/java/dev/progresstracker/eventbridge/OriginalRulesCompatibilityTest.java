package dev.progresstracker.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.json.OriginalFields;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.test.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.event.ruler.Machine;

/**
 * Rules written for the original Python tracker, keyed on every field it published, run through AWS's
 * event-ruler: against what the original would have published for the same calls, and against what
 * our {@link EventBridgeSink} really sends (through a fake EventBridge). Each rule matches the same
 * events, with the same values of the original's fields, in the same order.
 */
class OriginalRulesCompatibilityTest {

    /** Rule name → event pattern; together they key on every field the original published. */
    static final Map<String, String> RULES = new LinkedHashMap<>();

    static {
        RULES.put("one upgrade", "{\"detail\": {\"upgrade_id\": [\"r-prod-1\"]}}");
        RULES.put(
                "one cluster", "{\"source\": [\"eks-upgrade-agent\"], \"detail\": {\"cluster_name\": [\"prod-eu\"]}}");
        RULES.put(
                "failures of one cluster",
                "{\"detail-type\": [\"upgrade.failed\", \"task.failed\"],"
                        + " \"detail\": {\"cluster_name\": [\"staging\"]}}");
        RULES.put(
                "phase changed to data-plane",
                "{\"detail-type\": [\"upgrade.phase_changed\"]," + " \"detail\": {\"phase\": [\"data-plane\"]}}");
        RULES.put("phase prefix", "{\"detail\": {\"phase\": [{\"prefix\": \"data\"}]}}");
        RULES.put("phase other than preflight", "{\"detail\": {\"phase\": [{\"anything-but\": [\"preflight\"]}]}}");
        RULES.put("one task", "{\"detail\": {\"task_id\": [\"drain\"]}}");
        RULES.put("task name prefix", "{\"detail\": {\"task_name\": [{\"prefix\": \"Node group\"}]}}");
        RULES.put(
                "task by id and name on a cluster",
                "{\"detail\": {\"cluster_name\": [\"staging\"],"
                        + " \"task_id\": [\"checks\"], \"task_name\": [\"Post-upgrade checks\"]}}");
        RULES.put("any error message", "{\"detail\": {\"error_message\": [{\"exists\": true}]}}");
        RULES.put("one error message", "{\"detail\": {\"error_message\": [\"PDB blocks eviction\"]}}");
        RULES.put("any duration", "{\"detail\": {\"duration\": [{\"exists\": true}]}}");
        RULES.put(
                "upgrades under an hour",
                "{\"detail-type\": [\"upgrade.completed\"]," + " \"detail\": {\"duration\": [{\"prefix\": \"0:\"}]}}");
        RULES.put(
                "tasks that took exactly 7 s",
                "{\"detail-type\": [\"task.completed\"]," + " \"detail\": {\"duration\": [\"0:00:07\"]}}");
    }

    @TempDir
    Path dir;

    /** One published event: detail-type and detail. */
    record Published(String detailType, JsonNode detail) {}

    /**
     * Performs each call on our tracker and records what the original's tracker.py would have sent for
     * it through its EventBridgeNotifier (the original sent nothing for adding tasks or for progress).
     */
    static final class BothTrackers {
        final ProgressTracker ours;
        final MutableClock clock;
        final String upgradeId;
        final String cluster;
        final List<Published> original = new ArrayList<>();
        final Map<String, String> names = new HashMap<>();
        final Map<String, Instant> taskStarted = new HashMap<>();
        Instant upgradeStarted;

        BothTrackers(ProgressTracker ours, MutableClock clock, String upgradeId, String cluster) {
            this.ours = ours;
            this.clock = clock;
            this.upgradeId = upgradeId;
            this.cluster = cluster;
        }

        private ObjectNode send(String type) {
            ObjectNode d = JsonNodeFactory.instance.objectNode();
            d.put("upgrade_id", upgradeId);
            d.put("cluster_name", cluster);
            original.add(new Published(type, d));
            return d;
        }

        private static String timedelta(Instant from, Instant to) {
            Duration d = Duration.between(from, to);
            // Python's str(timedelta) for the whole seconds and microseconds below a day used here.
            long s = d.getSeconds();
            String hms = String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
            int micros = d.getNano() / 1000;
            return micros == 0 ? hms : hms + String.format(".%06d", micros);
        }

        void addTask(String id, String name, TaskType type) {
            ours.addTask(id, name, type, null);
            names.put(id, name);
        }

        void startUpgrade(String phase) {
            ours.startUpgrade(phase);
            upgradeStarted = clock.instant();
            send("upgrade.started").put("phase", phase);
        }

        void setCurrentPhase(String phase) {
            ours.setCurrentPhase(phase);
            send("upgrade.phase_changed").put("phase", phase);
        }

        void startTask(String id) {
            ours.startTask(id);
            taskStarted.put(id, clock.instant());
            send("task.started").put("task_id", id).put("task_name", names.get(id));
        }

        void progress(String id, double percent) {
            ours.updateTaskProgress(id, percent, percent + " %", Map.of());
        }

        void completeTask(String id) {
            ours.completeTask(id);
            send("task.completed")
                    .put("task_id", id)
                    .put("task_name", names.get(id))
                    .put("duration", timedelta(taskStarted.get(id), clock.instant()));
        }

        void failTask(String id, String message) {
            ours.failTask(id, message);
            send("task.failed")
                    .put("task_id", id)
                    .put("task_name", names.get(id))
                    .put("error_message", message);
        }

        void completeUpgrade() {
            ours.completeUpgrade();
            send("upgrade.completed").put("duration", timedelta(upgradeStarted, clock.instant()));
        }

        void failUpgrade(String message) {
            ours.failUpgrade(message);
            send("upgrade.failed").put("error_message", message);
        }

        void tick(long seconds) {
            clock.advance(Duration.ofSeconds(seconds));
        }
    }

    static void success(BothTrackers t) {
        t.addTask("preflight", "Preflight checks", TaskType.VALIDATION);
        t.addTask("control-plane", "Upgrade control plane", TaskType.UPGRADE_STEP);
        t.addTask("ng-1", "Node group 1", TaskType.UPGRADE_STEP);
        t.addTask("ng-2", "Node group 2", TaskType.UPGRADE_STEP);
        t.startUpgrade("preflight");
        t.startTask("preflight");
        t.tick(3);
        t.progress("preflight", 50);
        t.tick(4);
        t.completeTask("preflight");
        t.setCurrentPhase("control-plane");
        t.startTask("control-plane");
        t.tick(95);
        t.completeTask("control-plane");
        t.setCurrentPhase("data-plane");
        t.startTask("ng-1");
        t.tick(7);
        t.completeTask("ng-1");
        t.startTask("ng-2");
        t.tick(2);
        t.progress("ng-2", 30);
        t.tick(1);
        t.completeTask("ng-2");
        t.completeUpgrade();
    }

    static void failure(BothTrackers t) {
        t.addTask("checks", "Post-upgrade checks", TaskType.VALIDATION);
        t.addTask("drain", "Drain", TaskType.UPGRADE_STEP);
        t.startUpgrade("validation");
        t.startTask("checks");
        t.tick(2);
        t.failTask("checks", "3 pods not ready");
        t.startTask("drain");
        t.tick(1);
        t.failTask("drain", "PDB blocks eviction");
        t.setCurrentPhase("data-plane-extra");
        t.failUpgrade("drain failed");
    }

    /** What the original published and what our sink sent, over four runs on two clusters. */
    private record Corpus(List<Published> original, List<Published> ours) {}

    private Corpus corpus(boolean originalFields) {
        List<Published> original = new ArrayList<>();
        List<Published> ours = new ArrayList<>();
        int n = 0;
        for (String cluster : List.of("prod-eu", "staging")) {
            String prefix = cluster.equals("prod-eu") ? "r-prod-" : "r-stage-";
            List<Consumer<BothTrackers>> scenarios =
                    List.of(OriginalRulesCompatibilityTest::success, OriginalRulesCompatibilityTest::failure);
            for (int i = 0; i < scenarios.size(); i++) {
                FakeEventBridge fake = new FakeEventBridge();
                EventBridgeConfig config = EventBridgeConfig.builder()
                        .originalFields(originalFields)
                        .maxBatchDelay(Duration.ofMillis(5))
                        .progressMinInterval(Duration.ZERO)
                        .outboxDirectory(dir.resolve("outbox-" + n++))
                        .build();
                MutableClock clock = MutableClock.at("2026-11-23T10:00:00.250Z");
                String runId = prefix + (i + 1);
                try (EventBridgeSink sink =
                                EventBridgeSink.builder(config).client(fake).build();
                        ProgressTracker t = ProgressTracker.builder()
                                .runId(runId)
                                .clusterName(cluster)
                                .clock(clock)
                                .sink(sink)
                                .build()) {
                    BothTrackers both = new BothTrackers(t, clock, runId, cluster);
                    scenarios.get(i).accept(both);
                    t.flush(Duration.ofSeconds(10));
                    sink.flush(Duration.ofSeconds(10));
                    original.addAll(both.original);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                for (PutEventsRequestEntry e : fake.accepted()) {
                    assertThat(e.source()).isEqualTo("eks-upgrade-agent");
                    try {
                        ours.add(new Published(
                                e.detailType(), WireFormat.reader().readTree(e.detail())));
                    } catch (Exception ex) {
                        throw new AssertionError(ex);
                    }
                }
            }
        }
        return new Corpus(original, ours);
    }

    private static String envelope(Published p) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("version", "0");
        n.put("id", "00000000-0000-0000-0000-000000000000");
        n.put("detail-type", p.detailType());
        n.put("source", "eks-upgrade-agent");
        n.put("account", "123456789012");
        n.put("time", "2026-11-23T10:00:00Z");
        n.put("region", "eu-west-1");
        n.putArray("resources");
        n.set("detail", p.detail());
        return n.toString();
    }

    /** The event as the original's rules see it: its detail-type and only the original's fields. */
    private static Published asOriginal(Published p) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = p.detail().properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (OriginalFields.NAMES.contains(f.getKey())) {
                d.set(f.getKey(), f.getValue());
            }
        }
        return new Published(p.detailType(), d);
    }

    private static List<Published> matching(String pattern, List<Published> events) throws Exception {
        Machine machine = Machine.builder().build();
        machine.addRule("rule", pattern);
        List<Published> out = new ArrayList<>();
        for (Published p : events) {
            if (!machine.rulesForJSONEvent(envelope(p)).isEmpty()) {
                out.add(asOriginal(p));
            }
        }
        return out;
    }

    @Test
    void everyRuleKeyedOnTheOriginalsFieldsMatchesExactlyWhatItMatchedThere() throws Exception {
        Corpus c = corpus(true);
        assertThat(c.ours().size())
                .as("our sink also sends the new detail types")
                .isGreaterThan(c.original().size());
        List<String> keyed = new ArrayList<>();
        for (Map.Entry<String, String> rule : RULES.entrySet()) {
            List<Published> there = matching(rule.getValue(), c.original());
            assertThat(there)
                    .as("rule '%s' matches some of the original's events", rule.getKey())
                    .isNotEmpty();
            assertThat(matching(rule.getValue(), c.ours())).as(rule.getKey()).containsExactlyElementsOf(there);
            WireFormat.reader()
                    .readTree(rule.getValue())
                    .get("detail")
                    .fieldNames()
                    .forEachRemaining(keyed::add);
        }
        assertThat(keyed)
                .as("the rules key on every field the original published")
                .containsAll(OriginalFields.NAMES);
    }

    @Test
    void ourSevenTypesCarryTheOriginalsDetailExactly() {
        Corpus c = corpus(true);
        List<Published> ours = c.ours().stream()
                .filter(p -> OriginalFields.BY_TYPE.keySet().stream()
                        .anyMatch(t -> t.wireName().equals(p.detailType())))
                .map(OriginalRulesCompatibilityTest::asOriginal)
                .toList();
        assertThat(ours).containsExactlyElementsOf(c.original());
    }

    @Test
    void switchedOffTheOriginalsRulesMatchNothing() throws Exception {
        Corpus c = corpus(false);
        assertThat(c.ours()).isNotEmpty();
        for (Map.Entry<String, String> rule : RULES.entrySet()) {
            assertThat(matching(rule.getValue(), c.ours())).as(rule.getKey()).isEmpty();
        }
        for (Published p : c.ours()) {
            assertThat(asOriginal(p).detail().isEmpty()).as(p.detailType()).isTrue();
        }
    }
}
