package dev.progresstracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.test.LimitCases;
import dev.progresstracker.test.ScriptedStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The limits table: its configuration, its exact byte count, and the worst case a store must accept. */
class EventLimitsTest {

    @Test
    void defaultsAreDocumentedAndTheEnvironmentOverridesThem() {
        EventLimits d = EventLimits.defaults();
        assertThat(d.maxDetailsBytes()).isEqualTo(65_536);
        assertThat(d.maxDetailsDepth()).isEqualTo(16);
        assertThat(d.maxNameLength()).isEqualTo(512);
        TrackerConfig c = TrackerConfig.fromEnvironment(Map.of(
                "TRACKER_MAX_DETAILS_BYTES",
                "1000",
                "TRACKER_MAX_DETAILS_DEPTH",
                "4",
                "TRACKER_MAX_DETAILS_ENTRIES",
                "10",
                "TRACKER_MAX_KEY_LENGTH",
                "20",
                "TRACKER_MAX_STRING_LENGTH",
                "30",
                "TRACKER_MAX_NAME_LENGTH",
                "40",
                "TRACKER_MAX_ATTRIBUTES",
                "5",
                "TRACKER_MAX_ATTRIBUTE_LENGTH",
                "60"));
        assertThat(c.limits()).isEqualTo(new EventLimits(1000, 4, 10, 20, 30, 40, 5, 60));
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThatThrownBy(() -> TrackerConfig.fromEnvironment(Map.of("TRACKER_MAX_DETAILS_BYTES", "lots")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TRACKER_MAX_DETAILS_BYTES");
        assertThatThrownBy(() -> EventLimits.builder().maxNameLength(3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxNameLength");
        assertThatThrownBy(() -> EventLimits.builder().maxDetailsDepth(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxDetailsDepth");
    }

    /** The size is counted while the details are copied, without serializing: it must be Jackson's, byte for byte. */
    @Test
    void theDetailsSizeIsCountedExactlyForEveryKindOfCharacterAndValue() throws Exception {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("text", LimitCases.text(500));
        details.put(LimitCases.name(40), List.of(1, -20L, 3.25, 1e-300, true, false, Map.of(), List.of()));
        details.put("nothing", null);
        details.put("big", new java.math.BigDecimal("12345678901234567890.5"));
        details.put("del", "\u007f\u0080\u009f" + "\u2028");
        int exact = LimitCases.jsonBytes(details);
        EventLimits fits = EventLimits.builder().maxDetailsBytes(exact).build();
        EventLimits tooSmall = EventLimits.builder().maxDetailsBytes(exact - 1).build();
        try (ProgressTracker t = tracker("exact", fits)) {
            assertThat(t.updateTaskProgress("a", 10, null, details)
                            .toCompletableFuture()
                            .get())
                    .isEqualTo(3);
            assertThat(t.task("a").details()).isEqualTo(details);
        }
        try (ProgressTracker t = tracker("exact-minus-one", tooSmall)) {
            assertThatThrownBy(() -> t.updateTaskProgress("a", 10, null, details))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("run 'exact-minus-one', task 'a': details")
                    .hasMessageContaining((exact - 1) + " bytes")
                    .hasMessageContaining("maxDetailsBytes");
            assertThat(t.task("a").details()).isEmpty();
        }
    }

    private static ProgressTracker tracker(String runId, EventLimits limits) {
        ProgressTracker t = ProgressTracker.builder()
                .runId(runId)
                .config(TrackerConfig.builder().limits(limits).build())
                .build();
        t.addTask("a", "A", TaskType.UPGRADE_STEP, null);
        t.startTask("a");
        return t;
    }

    /** Every text at its limit in its most expensive characters: no event may exceed the derived worst case. */
    @Test
    void theWorstCaseBoundsEveryEventTheLimitsLetThrough() throws Exception {
        TrackerConfig config = TrackerConfig.defaults();
        EventLimits l = config.limits();
        String control = String.valueOf((char) 1); // 6 bytes as \u0001
        InMemoryProgressStore store = new InMemoryProgressStore();
        String runId = "r".repeat(RunIds.MAX_RUN_ID_LENGTH);
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < l.maxAttributes(); i++) {
            attributes.put(i + worst(l.maxKeyLength() - String.valueOf(i).length()), worst(l.maxAttributeLength()));
        }
        String parent = worst(RunIds.MAX_TASK_ID_LENGTH);
        String child = worst(RunIds.MAX_TASK_ID_LENGTH - 1) + "x";
        String message = control.repeat(config.maxMessageLength());
        Map<String, Object> details = LimitCases.detailsOfBytes(l.maxDetailsBytes(), l);
        try (ProgressTracker t = ProgressTracker.builder()
                .runId(runId)
                .store(store)
                .config(config)
                .planId(worst(l.maxNameLength()))
                .clusterName("c" + worst(l.maxNameLength() - 1))
                .attributes(attributes)
                .build()) {
            t.startUpgrade(worst(l.maxNameLength()));
            t.addTask(new TaskSpec(parent, worst(l.maxNameLength()), TaskType.UPGRADE_PLAN, null, 1));
            t.addTask(new TaskSpec(child, worst(l.maxNameLength()), TaskType.of("X".repeat(64)), parent, 1));
            t.startTask(child);
            t.updateTaskProgress(child, 50, message, details);
            t.failTask(child, message);
            t.setCurrentPhase("p" + worst(l.maxNameLength() - 1));
            t.raiseAlert(new Alert(
                    worst(l.maxNameLength()),
                    "r" + worst(l.maxNameLength() - 1),
                    Alert.Severity.CRITICAL,
                    message,
                    child));
            t.failUpgrade(message);
            assertThat(t.flush(Duration.ofSeconds(30))).isTrue();
            List<ProgressEvent> events = store.eventsSince(runId, 0, 100).orElseThrow();
            assertThat(events)
                    .as("the parent's derived start and failure included")
                    .hasSize(11);
            long largest = 0;
            for (ProgressEvent e : events) {
                long bytes = WireFormat.toJson(e).getBytes(StandardCharsets.UTF_8).length;
                assertThat(bytes).as(e.type().wireName()).isLessThanOrEqualTo(config.worstCaseEventBytes());
                largest = Math.max(largest, bytes);
            }
            // The bound is not vacuous: the largest real event uses most of it.
            assertThat(largest).isGreaterThan(config.worstCaseEventBytes() * 3 / 4);
        }
    }

    /** {@code chars} characters of 6 JSON bytes each: characters outside the BMP, escaped as surrogate pairs. */
    private static String worst(int chars) {
        return "😀".repeat(chars / 2) + (chars % 2 == 1 ? "é" : "");
    }

    @Test
    void aTrackerOrFactoryWhoseLimitsExceedTheStoreRefusesToStartNamingBothNumbers() {
        TrackerConfig defaults = TrackerConfig.defaults();
        long worst = defaults.worstCaseEventBytes();
        ScriptedStore small = new ScriptedStore(new InMemoryProgressStore()).maxEventBytes((int) worst - 1);
        assertThatThrownBy(() ->
                        ProgressTracker.builder().runId("too-big").store(small).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(worst))
                .hasMessageContaining(String.valueOf(worst - 1));
        assertThatThrownBy(() -> TrackerFactory.builder().store(small).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(worst))
                .hasMessageContaining(String.valueOf(worst - 1));
        assertThat(small.listRuns()).isEmpty();
        TrackerConfig lowered = defaults.toBuilder()
                .limits(EventLimits.builder()
                        .maxAttributes(8)
                        .maxDetailsBytes(16_384)
                        .build())
                .build();
        assertThat(lowered.worstCaseEventBytes()).isLessThan(worst);
        ScriptedStore fits =
                new ScriptedStore(new InMemoryProgressStore()).maxEventBytes((int) lowered.worstCaseEventBytes());
        try (ProgressTracker t = ProgressTracker.builder()
                .runId("fits")
                .store(fits)
                .config(lowered)
                .build()) {
            assertThat(t.startUpgrade(null).toCompletableFuture().join()).isEqualTo(1);
        }
    }

    /** Callers can vet details before a call: same verdict and same copy as the call's own check. */
    @Test
    void checkDetailsGivesTheCallsVerdictWithoutATracker() {
        EventLimits limits =
                EventLimits.builder().maxStringLength(8).maxDetailsDepth(2).build();
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("b", List.of(1, "two"));
        nested.put("a", Map.of("x", true));

        Map<String, Object> copy = limits.checkDetails(nested);
        assertThat(copy).isEqualTo(nested);
        assertThat(copy.keySet()).containsExactly("b", "a");
        assertThatThrownBy(() -> copy.put("c", 1)).isInstanceOf(UnsupportedOperationException.class);

        assertThatThrownBy(() -> limits.checkDetails(Map.of("pods", List.of("ok", "x".repeat(9)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("details.pods[1]")
                .hasMessageContaining("maxStringLength");
        assertThatThrownBy(() -> limits.checkDetails(Map.of("a", Map.of("b", Map.of("c", 1)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("details.a.b")
                .hasMessageContaining("maxDetailsDepth");
        assertThatThrownBy(() -> limits.checkDetails(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("details");

        try (ProgressTracker t = ProgressTracker.builder()
                .runId("vet")
                .store(new InMemoryProgressStore())
                .config(TrackerConfig.builder().limits(limits).build())
                .build()) {
            t.startUpgrade(null);
            t.addTask("n", "N", TaskType.UPGRADE_STEP, null);
            t.startTask("n");
            Map<String, Object> tooLong = Map.of("pods", List.of("ok", "x".repeat(9)));
            String vetted = catchMessage(() -> limits.checkDetails(tooLong));
            String atCall = catchMessage(() -> t.updateTaskProgress("n", 5, null, tooLong));
            assertThat(atCall).endsWith(vetted);
        }
    }

    private static String catchMessage(Runnable call) {
        try {
            call.run();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected an IllegalArgumentException");
    }
}
