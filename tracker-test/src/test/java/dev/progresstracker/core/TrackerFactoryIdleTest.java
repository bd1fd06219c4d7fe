package dev.progresstracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.test.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A factory lists its open runs and closes the idle ones, by its clock. */
class TrackerFactoryIdleTest {

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

    @Test
    void listsOpenRunsAndClosesThoseIdleLongerThanGiven() {
        InMemoryProgressStore store = new InMemoryProgressStore();
        try (TrackerFactory f =
                TrackerFactory.builder().store(store).clock(clock).build()) {
            ProgressTracker busy = f.tracker("busy");
            ProgressTracker quiet = f.tracker("quiet");
            ProgressTracker silent = f.tracker("silent"); // no event at all: idle since opened
            for (ProgressTracker t : List.of(busy, quiet)) {
                t.addTasks(List.of(TaskSpec.of("a", "A", TaskType.UPGRADE_STEP)));
                t.startUpgrade(null);
                t.startTask("a");
            }
            assertThat(f.openRuns()).containsExactly("busy", "quiet", "silent");
            assertThat(f.openTracker("quiet")).containsSame(quiet);
            assertThat(f.openTracker("nope")).isEmpty();

            clock.advanceSeconds(50);
            busy.updateTaskProgress("a", 50);
            clock.advanceSeconds(15); // quiet and silent: 65 s; busy: 15 s
            assertThat(f.closeIdle(Duration.ofSeconds(65)))
                    .as("exactly the limit is not over it")
                    .isEmpty();
            clock.advanceSeconds(1);
            assertThat(f.closeIdle(Duration.ofSeconds(65))).containsExactly("quiet", "silent");
            assertThat(f.openRuns()).containsExactly("busy");
            assertThatThrownBy(() -> quiet.updateTaskProgress("a", 10)).isInstanceOf(IllegalStateException.class);

            ProgressTracker resumed = f.tracker("quiet");
            assertThat(resumed.task("a").status())
                    .as("the run stays as it was, resumable")
                    .isEqualTo(TaskStatus.IN_PROGRESS);
            assertThat(f.openRuns()).containsExactly("busy", "quiet");
            busy.close();
            resumed.close();
            assertThat(f.openRuns()).isEmpty();
        }
    }

    @Test
    void aNegativeIdleTimeIsRefused() {
        try (TrackerFactory f = TrackerFactory.builder().clock(clock).build()) {
            assertThatThrownBy(() -> f.closeIdle(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("idleFor must not be negative, got PT-1S");
        }
    }
}
