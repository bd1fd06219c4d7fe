package dev.progresstracker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TaskUsage;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.test.NonClosingStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a child JVM that drives a tracker in SYNC mode, at random moments (also during its
 * start-up and recovery), again and again over the same store. After every kill the store must
 * recover, hold every sequence the child saw acknowledged, parse, and let a tracker go on with the
 * next sequence number, with every completed task's usage totals (recorded before completion).
 * Losses are counted, and must be zero.
 */
class KillNineCrashTest {

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedTransitionSurvivesKillNine() throws Exception {
        runTrials(Integer.getInteger("crash.trials", 100), 150);
    }

    @Test
    @Tag("slow")
    void everyAcknowledgedTransitionSurvivesKillNineManyTimes() throws Exception {
        runTrials(Integer.getInteger("crash.trials.slow", 1000), 600);
    }

    private void runTrials(int trials, int maxRunMillis) throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println(
                "KillNineCrashTest: " + trials + " trials, seed " + seed + " (rerun with -Dcrash.seed=" + seed + ")");
        Random random = new Random(seed);
        String runId = "crash-run";
        long acknowledged = 0;
        long lost = 0;
        long killedBeforeReady = 0;
        long killedAfterWork = 0;
        long expectedNext = 1;
        for (int trial = 0; trial < trials; trial++) {
            List<Long> acks;
            try (ChildJvm child =
                    ChildJvm.start("drive", dir.toString(), runId, String.valueOf(1 + random.nextInt(4)))) {
                boolean early = random.nextInt(10) == 0;
                if (early) {
                    Thread.sleep(random.nextInt(400));
                    killedBeforeReady += child.ready.getCount();
                } else {
                    assertThat(child.ready.await(60, TimeUnit.SECONDS))
                            .as("child ready; output %s", child.lines)
                            .isTrue();
                    assertThat(child.line("READY "))
                            .as("child resumed where the last trial left off")
                            .isEqualTo(String.valueOf(expectedNext - 1));
                    // Kill only after a first acknowledged write, so that every such trial tests real work
                    // however slow the machine is; then at a random moment.
                    await().atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(1))
                            .untilAsserted(() -> assertThat(child.acks())
                                    .as("child acknowledged a write; output %s", child.lines)
                                    .isNotEmpty());
                    killedAfterWork++;
                    Thread.sleep(random.nextInt(maxRunMillis));
                }
                child.kill();
                acks = child.acks();
                assertThat(child.lines).as("child reported no error").noneMatch(l -> l.contains("Exception"));
            }
            acknowledged += acks.size();
            try (FileProgressStore store =
                    FileProgressStore.builder().directory(dir).build()) {
                RunState state = store.loadRun(runId).orElse(null);
                long last = state == null ? 0 : state.lastSequence();
                for (long seq : acks) {
                    if (seq > last) {
                        lost++;
                    }
                }
                assertThat(last)
                        .as("seed %d, trial %d: nothing acknowledged earlier went missing", seed, trial)
                        .isGreaterThanOrEqualTo(expectedNext - 1);
                if (state != null) {
                    // Usage is recorded before completion: every completed task kept its usage totals.
                    assertThat(state.tasks())
                            .filteredOn(t -> t.status() == TaskStatus.COMPLETED)
                            .allSatisfy(t -> assertThat(t.usage())
                                    .as(t.taskId())
                                    .extracting(TaskUsage::apiCalls, TaskUsage::tokensIn)
                                    .containsExactly(1L, 100L));
                }
                List<ProgressEvent> tail =
                        store.eventsSince(runId, Math.max(0, last - 20), 100).orElseThrow();
                assertThat(tail)
                        .extracting(ProgressEvent::sequence)
                        .isSortedAccordingTo(Long::compare)
                        .allMatch(s -> s > last - 21 && s <= last);
                if (state != null && trial % 10 == 0) {
                    // The tracker resumes with the next sequence number (as the next child also checks).
                    try (ProgressTracker t = ProgressTracker.builder()
                            .runId(runId)
                            .store(new NonClosingStore(store))
                            .build()) {
                        long next = t.addTask("probe-" + trial, "Probe", TaskType.CLEANUP, null)
                                .toCompletableFuture()
                                .get(10, TimeUnit.SECONDS);
                        assertThat(next).isEqualTo(last + 1);
                        expectedNext = next + 1;
                    }
                } else {
                    expectedNext = last + 1;
                }
            }
        }
        System.out.printf(
                "kill -9 trials: %d, acknowledged transitions: %d, lost: %d, killed before ready: %d%n",
                trials, acknowledged, lost, killedBeforeReady);
        assertThat(lost).as("acknowledged transitions lost").isZero();
        assertThat(killedAfterWork).as("trials killed after real work").isGreaterThan(trials / 2L);
        assertThat(acknowledged).as("the children did real work").isGreaterThanOrEqualTo(killedAfterWork);
    }
}
