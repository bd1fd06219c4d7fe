package dev.progresstracker.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TaskView;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The work model on hand-made task states (times are work-time seconds). */
class WorkModelTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final TaskType X = TaskType.of("X");

    private final WorkModel work = new WorkModel();

    private static TaskView task(
            String id, TaskType type, TaskStatus status, double percent, double started, double finished) {
        return new TaskView(
                id,
                id,
                type,
                null,
                1,
                status,
                percent,
                null,
                Map.of(),
                Double.isNaN(started) ? null : T0.plusMillis(Math.round(started * 1000)),
                Double.isNaN(finished) ? null : T0.plusMillis(Math.round(finished * 1000)),
                started >= 0 ? 1 : 0);
    }

    private void add(String id, TaskType type) {
        work.apply(task(id, type, TaskStatus.NOT_STARTED, 0, Double.NaN, Double.NaN), 0, 0);
    }

    private void start(String id, TaskType type, double at) {
        work.apply(task(id, type, TaskStatus.IN_PROGRESS, 0, at, Double.NaN), at, at);
    }

    private void progress(String id, TaskType type, double percent, double started, double at) {
        work.apply(task(id, type, TaskStatus.IN_PROGRESS, percent, started, Double.NaN), at, at);
    }

    private void complete(String id, TaskType type, double started, double at) {
        work.apply(task(id, type, TaskStatus.COMPLETED, 100, started, at), at, at);
    }

    @Test
    void aRunningTaskThatReportsNothingIsCreditedWithItsTimeUpToMostOfItsPrice() {
        for (String id : new String[] {"a", "b", "c", "d"}) {
            add(id, X);
        }
        start("a", X, 0);
        complete("a", X, 0, 60); // X costs 60 s per task
        start("c", X, 100); // reports only when done
        work.at(130);
        // b and d untouched (2 × 60 s) + c's 30 s still to go
        assertThat(work.remainingWork(130)).isCloseTo(150, within(1e-6));
        work.at(200);
        // c ran past its price: 10 % of it (6 s) is still counted as left, not zero, not 60
        assertThat(work.remainingWork(200)).isCloseTo(126, within(1e-6));
        assertThat(work.doneWork()).isCloseTo(60 + 54, within(1e-6));
        complete("c", X, 100, 210);
        work.at(210);
        assertThat(work.remainingWork(210)).isCloseTo(2 * 85, within(1e-6)); // X now costs (60 + 110) / 2
    }

    @Test
    void addingATaskMidRunReshapesTheSharesWithoutCountingRunningTasksTwice() {
        for (String id : new String[] {"a", "b", "c", "d"}) {
            add(id, X);
        }
        start("a", X, 0);
        complete("a", X, 0, 60); // 60 s for a quarter of the run: 240 s per share
        start("c", X, 100);
        work.at(130);
        add("e", X); // now five tasks of a fifth each: 48 s apiece
        work.at(130);
        // b, d, e untouched (3 × 48 s) + c, 30 s into its 48 s
        assertThat(work.remainingWork(130)).isCloseTo(3 * 48 + 18, within(1e-6));
    }

    @Test
    void aTypeNeverSeenIsPricedAtTheGeometricMeanOfTheSeenTypes() {
        TaskType quick = TaskType.of("QUICK");
        TaskType slow = TaskType.of("SLOW");
        TaskType unseen = TaskType.of("UNSEEN");
        add("q", quick);
        add("s", slow);
        add("u", unseen);
        start("q", quick, 0);
        complete("q", quick, 0, 10);
        start("s", slow, 10);
        complete("s", slow, 10, 1010);
        work.at(1010);
        // Per task: 10 s and 1,000 s seen; an unseen kind is guessed at √(10 × 1000) = 100 s,
        // not at the task mean of 505 s that the one slow type would dictate.
        assertThat(work.remainingWork(1010)).isCloseTo(100, within(1e-6));
    }

    @Test
    void aTasksFirstReportIsNeverAStallLaterOnesAreJudgedByItsTypesCadence() {
        add("a", X);
        add("b", X);
        start("a", X, 0);
        assertThat(work.ongoingStallCap())
                .as("a running task has not reported yet")
                .isInfinite();
        progress("a", X, 10, 0, 60);
        assertThat(work.reportCap()).as("first report of the attempt").isInfinite();
        for (int i = 2; i <= 5; i++) {
            progress("a", X, 10 * i, 0, 60 + 5 * (i - 1));
            assertThat(work.reportCap())
                    .as("report %d: X has seen only %d gaps", i, i - 1)
                    .isInfinite();
        }
        // Gaps so far 60, 5, 5, 5, 5: time-weighted typical gap (Σgap² / Σgap), times 4
        progress("a", X, 60, 0, 85);
        assertThat(work.reportCap()).isCloseTo(4 * (3600 + 4 * 25) / 80.0, within(1e-9));
        assertThat(work.ongoingStallCap()).isCloseTo(4 * (3600 + 5 * 25) / 85.0, within(1e-9));
        start("b", X, 100);
        assertThat(work.ongoingStallCap()).as("b may take long to say anything").isInfinite();
        complete("b", X, 100, 400);
        assertThat(work.reportCap()).as("b's only report").isInfinite();
        complete("a", X, 0, 400);
        assertThat(work.reportCap()).as("a reported before: judged").isFinite();
        assertThat(work.ongoingStallCap()).as("nothing runs").isInfinite();
        assertThat(work.reportCap()).isNotNaN();
        add("c", X);
        assertThat(work.reportCap()).as("not a report").isNaN();
    }
}
