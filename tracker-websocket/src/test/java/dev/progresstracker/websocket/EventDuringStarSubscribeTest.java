package dev.progresstracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.core.store.InMemoryProgressStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An event published while a {@code "*"} subscribe is being set up, of a run the subscribe has not
 * followed yet: the client still gets that run as it asked for it (its history after the resume
 * point, or every event of a run begun after its summary), not a snapshot the live path would have
 * sent first. The store's run listing, which the subscribe reads before it follows the runs, is where
 * the test publishes, so the race happens every time.
 */
class EventDuringStarSubscribeTest {

    private final InMemoryProgressStore memory = new InMemoryProgressStore();
    private volatile Runnable duringListing = () -> {};
    private RunsOnServer on;

    @AfterEach
    void tearDown() throws Exception {
        if (on != null) {
            on.closeAll();
        }
    }

    @Test
    void aResumedRunKeepsItsHistoryWhenItsEventArrivesDuringTheSubscribe() throws Exception {
        start();
        ProgressTracker active = run("active", 3); // 10 events
        TestClient c = client();
        c.request("{\"type\":\"getSummary\"}");
        c.await(m -> m.path("type").asText().equals("summary"));

        duringListing = once(() -> publish(active, "late")); // events 11..13, before "active" is followed
        c.request("{\"type\":\"subscribe\",\"runId\":\"*\",\"sinceSequences\":{\"active\":4}}");
        c.await(m -> m.path("event").path("runId").asText().equals("active")
                && m.path("event").path("sequence").asLong() == 13);
        c.sync();

        assertThat(c.ofType("snapshot"))
                .as("no snapshot: the client asked for the history")
                .isEmpty();
        assertThat(c.sequences("active")).isEqualTo(range(5, 13));
        assertThat(c.check("active", 4).complete()).isTrue();
    }

    @Test
    void aRunBegunDuringTheSubscribeIsFollowedFromItsStart() throws Exception {
        start();
        run("listed", 1);
        TestClient c = client();
        c.request("{\"type\":\"getSummary\"}");
        c.await(m -> m.path("type").asText().equals("summary"));

        List<ProgressTracker> begun = new ArrayList<>();
        duringListing = once(() -> begun.add(run("begun", 2))); // 7 events, unknown to the subscribe
        c.request("{\"type\":\"subscribe\",\"runId\":\"*\"}");
        c.await(m -> m.path("event").path("runId").asText().equals("begun")
                && m.path("event").path("sequence").asLong() == 7);
        publish(begun.get(0), "after");
        c.await(m -> m.path("event").path("runId").asText().equals("begun")
                && m.path("event").path("sequence").asLong() == 10);
        c.sync();

        assertThat(c.ofType("snapshot").stream()
                        .filter(m -> m.path("runId").asText().equals("begun")))
                .as("the run begun after the summary comes as events, not a snapshot")
                .isEmpty();
        assertThat(c.sequences("begun")).isEqualTo(range(1, 10));
    }

    private void start() {
        on = new RunsOnServer(WebSocketConfig.builder(), new ListingHookStore());
    }

    private TestClient client() throws InterruptedException {
        return on.client();
    }

    private ProgressTracker run(String runId, int tasks) {
        return on.run(runId, tasks);
    }

    /** Three more events of {@code t}'s run (task added, started, completed), published. */
    private static void publish(ProgressTracker t, String taskId) {
        t.addTask(taskId, "Task " + taskId, TaskType.UPGRADE_STEP, null);
        t.startTask(taskId);
        t.completeTask(taskId);
        assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
    }

    private static List<Long> range(long fromInclusive, long toInclusive) {
        return LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
    }

    private Runnable once(Runnable action) {
        return () -> {
            duringListing = () -> {};
            action.run();
        };
    }

    /** The in-memory store, running {@link #duringListing} inside {@code listRuns}. */
    private final class ListingHookStore implements ProgressStore {
        @Override
        public CompletionStage<Void> append(ProgressEvent event) {
            return memory.append(event);
        }

        @Override
        public Optional<RunState> loadRun(String runId) {
            return memory.loadRun(runId);
        }

        @Override
        public List<RunInfo> listRuns() {
            duringListing.run();
            return memory.listRuns();
        }

        @Override
        public Optional<List<ProgressEvent>> eventsSince(String runId, long afterSequence, int maxEvents) {
            return memory.eventsSince(runId, afterSequence, maxEvents);
        }

        @Override
        public boolean deleteRun(String runId) {
            return memory.deleteRun(runId);
        }

        @Override
        public void close() {
            memory.close();
        }
    }
}
