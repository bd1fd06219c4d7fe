package dev.progresstracker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.state.RunState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A first JVM runs half an upgrade and halts without closing anything; a second JVM builds a tracker
 * for the same run over the same directory and must see exactly the state the first one had, then
 * finish the run with sequence numbers that continue without a gap.
 */
class JvmRestartResumeTest {

    @TempDir
    Path dir;

    @Test
    void aTrackerInANewJvmResumesTheExactState() throws Exception {
        String before;
        long lastAck;
        try (ChildJvm first = ChildJvm.start("part1", dir.toString(), "resume-run")) {
            assertThat(first.waitForExit()).as("part1 output %s", first.lines).isZero();
            before = first.line("STATE ");
            lastAck = first.acks().get(0);
        }
        assertThat(lastAck).as("16 steps and 5 usage and stage events").isEqualTo(21);
        List<Long> acks;
        String after;
        try (ChildJvm second = ChildJvm.start("part2", dir.toString(), "resume-run")) {
            assertThat(second.waitForExit()).as("part2 output %s", second.lines).isZero();
            after = second.line("STATE ");
            acks = second.acks();
        }
        RunState was = WireFormat.readRunState(before);
        RunState is = WireFormat.readRunState(after);
        assertThat(is.tasks()).containsExactlyElementsOf(was.tasks());
        assertThat(is.activeAlerts()).isEqualTo(was.activeAlerts());
        // The ETA and the "updated" time are recomputed by the resumed tracker; everything else is restored.
        assertThat(is.info())
                .usingRecursiveComparison()
                .ignoringFields("eta", "updatedAt")
                .isEqualTo(was.info());
        // Skipping ng-2 (23) completes the parent 'plan' by itself (24): the call answers with the last
        // event it caused; the explicit completeTask that follows changes nothing and answers the same.
        assertThat(acks).containsExactly(22L, 24L, 24L, 25L, 26L, 27L);

        try (FileProgressStore store =
                FileProgressStore.builder().directory(dir).build()) {
            RunState state = store.loadRun("resume-run").orElseThrow();
            assertThat(state.lastSequence()).isEqualTo(27);
            assertThat(state.info().status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(state.tasks())
                    .filteredOn(t -> t.taskId().equals("ng-1"))
                    .singleElement()
                    .satisfies(t -> {
                        assertThat(t.status()).isEqualTo(TaskStatus.COMPLETED);
                        assertThat(t.attempt()).isEqualTo(2);
                        assertThat(t.usage().tokensIn())
                                .as("usage survives the restart")
                                .isEqualTo(800);
                    });
            assertThat(store.eventsSince("resume-run", 0, 100).orElseThrow())
                    .extracting(e -> e.sequence())
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 27)
                            .boxed()
                            .toList());
        }
    }
}
