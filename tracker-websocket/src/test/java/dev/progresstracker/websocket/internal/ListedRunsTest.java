package dev.progresstracker.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ListedRunsTest {

    @Test
    void aRunNotInTheSummaryBeganAfterIt() {
        ListedRuns listed = ListedRuns.of(List.of("run-a", "run-b"));
        assertThat(listed.beganAfter("run-a")).isFalse();
        assertThat(listed.beganAfter("run-b")).isFalse();
        assertThat(listed.beganAfter("run-c")).isTrue();
        assertThat(ListedRuns.of(List.of()).beganAfter("run-a")).isTrue();
    }

    @Test
    void withoutASummaryNoRunBeganAfterIt() {
        assertThat(ListedRuns.NONE.beganAfter("run-a")).isFalse();
    }

    @Test
    void aSummaryOverTheCapIsNotRemembered() {
        List<String> ids = IntStream.range(0, 11).mapToObj(i -> "run-" + i).toList();
        assertThat(ListedRuns.of(ids.subList(0, 10), 10).beganAfter("run-10")).isTrue();
        ListedRuns over = ListedRuns.of(ids, 10);
        assertThat(over.beganAfter("never-listed")).isFalse();
        assertThat(over.count()).as("the count is kept").isEqualTo(11);
        assertThat(ListedRuns.NONE.count()).isZero();
    }

    @Test
    void manySimilarIdsAreToldApart() {
        List<String> ids = IntStream.range(0, ListedRuns.MAX_RUNS)
                .mapToObj(i -> "upgrade-" + i)
                .toList();
        ListedRuns listed = ListedRuns.of(ids);
        assertThat(ids).noneMatch(listed::beganAfter);
        assertThat(IntStream.range(ListedRuns.MAX_RUNS, 2 * ListedRuns.MAX_RUNS).mapToObj(i -> "upgrade-" + i))
                .allMatch(listed::beganAfter);
    }
}
