package dev.progresstracker.examples.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.progresstracker.examples.consumer.UpgradeEventsHandler.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The consumer example over the envelopes the tracker really published (three sample runs through the
 * EventBridge sink, every detail-type; recorded in tracker-events' test jar).
 */
class UpgradeEventsHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Sent(String subject, String text) {}

    private final List<Sent> sent = new ArrayList<>();
    private final UpgradeEventsHandler handler = new UpgradeEventsHandler((s, t) -> sent.add(new Sent(s, t)));

    private static List<String> recorded() throws IOException {
        try (InputStream in = UpgradeEventsHandlerTest.class.getResourceAsStream(
                "/dev/progresstracker/events/recorded/sample-runs.jsonl")) {
            assertThat(in).as("recorded envelopes in tracker-events' test jar").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank())
                    .toList();
        }
    }

    private static String first(String detailType) throws IOException {
        return recorded().stream()
                .filter(l -> l.contains("\"detail-type\":\"" + detailType + "\""))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void notifiesExactlyTheFailedTasksAndCompletedUpgradesOfTheRecordedRuns() throws IOException {
        Map<Outcome.Kind, Integer> outcomes = new TreeMap<>();
        for (String envelope : recorded()) {
            outcomes.merge(handler.handleRequest(envelope).kind(), 1, Integer::sum);
        }
        assertThat(outcomes).containsOnlyKeys(Outcome.Kind.NOTIFIED, Outcome.Kind.IGNORED);
        assertThat(sent)
                .extracting(Sent::subject)
                .containsExactlyInAnyOrder(
                        "[prod-eu] task failed: control-plane",
                        "[prod-eu] task failed: only",
                        "[prod-eu] upgrade completed",
                        "[prod-eu] upgrade completed");
        assertThat(sent)
                .extracting(Sent::text)
                .contains(
                        "Task 'Upgrade control plane' (control-plane, UPGRADE_STEP, attempt 1) failed in run "
                                + "upg-2026-11-23-prod-eu: API throttled",
                        "Upgrade run upg-2026-11-23-prod-eu completed in 35 s (phase data-plane).");
        assertThat(outcomes.get(Outcome.Kind.NOTIFIED)).isEqualTo(4);
        assertThat(outcomes.get(Outcome.Kind.IGNORED)).isEqualTo(recorded().size() - 4);
    }

    @Test
    void aRedeliveredEventIsNotifiedOnce() throws IOException {
        String failed = first("task.failed");
        assertThat(handler.handleRequest(failed).kind()).isEqualTo(Outcome.Kind.NOTIFIED);
        assertThat(handler.handleRequest(failed).kind()).isEqualTo(Outcome.Kind.DUPLICATE);
        assertThat(sent).hasSize(1);
    }

    @Test
    void aDetailTypeNewerThanTheConsumerIsIgnored() throws IOException {
        ObjectNode n = (ObjectNode) JSON.readTree(first("task.failed"));
        n.put("detail-type", "task.retried");
        ((ObjectNode) n.get("detail")).put("type", "task.retried");
        Outcome outcome = handler.handleRequest(n.toString());
        assertThat(outcome).isEqualTo(new Outcome(Outcome.Kind.IGNORED, "task.retried"));
        assertThat(sent).isEmpty();
    }

    @Test
    void inputThatIsNoTrackerEventIsRejectedWithTheReasonNotThrown() throws IOException {
        ObjectNode n = (ObjectNode) JSON.readTree(first("task.failed"));
        ((ObjectNode) n.get("detail").get("task")).remove("taskId");
        assertThat(handler.handleRequest(n.toString()))
                .isEqualTo(new Outcome(Outcome.Kind.REJECTED, "required field 'detail.task.taskId' is missing"));
        assertThat(handler.handleRequest("not json").kind()).isEqualTo(Outcome.Kind.REJECTED);
        assertThat(sent).isEmpty();
    }
}
