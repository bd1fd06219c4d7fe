package dev.progresstracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.core.state.RunState;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.test.LimitCases;
import dev.progresstracker.test.RunAudit;
import dev.progresstracker.test.ScriptedStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, finding 1: a details map larger than the store takes was accepted at the call, its
 * event then failed in the store and every later event failed after it. Now every input the store
 * could not take is refused at the call, before a sequence is assigned, and the run goes on.
 */
class OversizedDetailsAreRefusedAtTheCallTest {

    private static final int FILE_STORE_MAX_EVENT_BYTES = 8 * 1024 * 1024; // the file store's record limit

    @Test
    void finding1_aNineMebibyteDetailsValueIsRefusedAtTheCallAndTheRunGoesOn() throws Exception {
        runRefusesThenContinues(TrackerConfig.defaults(), "maxStringLength");
    }

    /** The same with limits raised as far as an 8 MiB store allows: the byte limit itself refuses it. */
    @Test
    void finding1_withLimitsRaisedToTheStoresSizeTheByteLimitRefusesIt() throws Exception {
        EventLimits raised = EventLimits.builder()
                .maxStringLength(16 * 1024 * 1024)
                .maxDetailsBytes(FILE_STORE_MAX_EVENT_BYTES - 256 * 1024)
                .build();
        runRefusesThenContinues(TrackerConfig.builder().limits(raised).build(), "maxDetailsBytes");
    }

    private static void runRefusesThenContinues(TrackerConfig config, String limit) throws Exception {
        ScriptedStore store = new ScriptedStore(new InMemoryProgressStore()).maxEventBytes(FILE_STORE_MAX_EVENT_BYTES);
        List<CompletionStage<Long>> acks = new ArrayList<>();
        try (ProgressTracker t = ProgressTracker.builder()
                .runId("finding-1")
                .store(store)
                .config(config)
                .build()) {
            acks.add(t.startUpgrade("drain"));
            acks.add(t.addTask("nodes", "Drain nodes", TaskType.UPGRADE_STEP, null));
            acks.add(t.startTask("nodes"));
            acks.add(t.updateTaskProgress("nodes", 10, "ten", Map.of("done", 1)));
            acks.add(t.updateTaskProgress("nodes", 20, "twenty", Map.of("done", 2)));
            RunState before = t.snapshot();

            Map<String, Object> nineMib = Map.of("blob", "x".repeat(9 * 1024 * 1024));
            assertThatThrownBy(() -> t.updateTaskProgress("nodes", 30, "thirty", nineMib))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("run 'finding-1', task 'nodes': details.blob")
                    .hasMessageContaining(limit);
            assertUnchanged(t, before);

            for (int p = 30; p <= 100; p += 10) {
                acks.add(t.updateTaskProgress("nodes", p, "at " + p, Map.of("done", p)));
            }
            acks.add(t.completeTask("nodes"));
            acks.add(t.completeUpgrade());
            List<Long> sequences = RunAudit.join(acks);
            assertThat(sequences).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L);
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            RunAudit.assertStoredExactly(store, t, sequences);
            assertThat(store.loadRun("finding-1").orElseThrow().info().status()).isEqualTo(RunStatus.COMPLETED);
        }
    }

    /** Deep, wide and odd details (finding 1's other shapes) are refused too, each leaving the run as it was. */
    @Test
    void finding1_deepWideAndNulKeyedDetailsAreRefusedWithTheFieldAndTheLimitNamed() throws Exception {
        ScriptedStore store = new ScriptedStore(new InMemoryProgressStore());
        EventLimits l = EventLimits.defaults();
        List<CompletionStage<Long>> acks = new ArrayList<>();
        Map<String, Supplier<Map<String, ?>>> refused = new LinkedHashMap<>();
        refused.put("maxDetailsDepth", () -> LimitCases.nested(l.maxDetailsDepth() + 1));
        refused.put("maxDetailsEntries", () -> LimitCases.wide(100_000));
        refused.put("control character U+0000", () -> Map.of("a" + (char) 0 + "b", 1));
        refused.put("maxKeyLength", () -> Map.of("k".repeat(l.maxKeyLength() + 1), 1));
        refused.put("lone UTF-16 surrogate", () -> Map.of("s", "x" + (char) 0xDC00));
        refused.put("JSON cannot carry", () -> Map.of("when", new Object()));
        try (ProgressTracker t =
                ProgressTracker.builder().runId("finding-1-shapes").store(store).build()) {
            acks.add(t.addTask("t", "T", TaskType.UPGRADE_STEP, null));
            acks.add(t.startTask("t"));
            double percent = 0;
            for (Map.Entry<String, Supplier<Map<String, ?>>> c : refused.entrySet()) {
                RunState before = t.snapshot();
                assertThatThrownBy(() ->
                                t.updateTaskProgress("t", 99, "no", c.getValue().get()))
                        .as(c.getKey())
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("run 'finding-1-shapes', task 't': details")
                        .hasMessageContaining(c.getKey());
                assertUnchanged(t, before);
                percent += 5;
                acks.add(t.updateTaskProgress("t", percent, "ok", Map.of("at", percent)));
            }
            // At the limits the same shapes are taken.
            acks.add(t.updateTaskProgress("t", 50, null, LimitCases.nested(l.maxDetailsDepth())));
            acks.add(t.updateTaskProgress("t", 60, null, LimitCases.wide(l.maxDetailsEntries())));
            List<Long> sequences = RunAudit.join(acks);
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            RunAudit.assertStoredExactly(store, t, sequences);
            assertThat(sequences).hasSize(2 + refused.size() + 2).doesNotHaveDuplicates();
        }
    }

    @Test
    void tooLongNamesAndPhasesAreRejectedNotCutWhileMessagesAreCut() throws Exception {
        EventLimits l = EventLimits.defaults();
        try (ProgressTracker t = ProgressTracker.builder().runId("names").build()) {
            assertThatThrownBy(() -> t.addTask("n", "N".repeat(l.maxNameLength() + 1), TaskType.UPGRADE_STEP, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("run 'names', task 'n': name is " + (l.maxNameLength() + 1) + " characters")
                    .hasMessageContaining("maxNameLength");
            assertThatThrownBy(() -> t.startUpgrade("P".repeat(l.maxNameLength() + 1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("run 'names': phase");
            assertThatThrownBy(() -> t.addTask("a" + (char) 0xD800, "A", TaskType.UPGRADE_STEP, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("run 'names'");
            assertThat(t.summary().lastSequence()).isZero();
            assertThat(t.tasks()).isEmpty();
            t.addTask("n", "N".repeat(l.maxNameLength()), TaskType.UPGRADE_STEP, null);
            t.startTask("n");
            String longMessage = "m".repeat(TrackerConfig.MAX_MESSAGE_LENGTH.defaultValue() - 2) + "😀😀" + "tail";
            t.failTask("n", longMessage + (char) 0xD800);
            String stored = t.task("n").message();
            assertThat(stored)
                    .hasSizeLessThanOrEqualTo(TrackerConfig.MAX_MESSAGE_LENGTH.defaultValue())
                    .endsWith("…");
            assertThat(stored.chars()
                                    .filter(c -> Character.isSurrogate((char) c))
                                    .count()
                            % 2)
                    .isZero();
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
        }
        assertThatThrownBy(() -> ProgressTracker.builder()
                        .runId("attrs")
                        .attribute("k", "v".repeat(2000))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("run 'attrs'")
                .hasMessageContaining("attributes.k")
                .hasMessageContaining("maxAttributeLength");
        assertThatThrownBy(() -> ProgressTracker.builder()
                        .runId("plan")
                        .planId("p" + (char) 10)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("run 'plan'")
                .hasMessageContaining("planId")
                .hasMessageContaining("control character");
    }

    private static void assertUnchanged(ProgressTracker t, RunState before) {
        RunState after = t.snapshot();
        assertThat(after.lastSequence()).isEqualTo(before.lastSequence());
        assertThat(after.tasks()).containsExactlyElementsOf(before.tasks());
        assertThat(after.info().status()).isEqualTo(before.info().status());
        assertThat(after.info().phase()).isEqualTo(before.info().phase());
    }
}
