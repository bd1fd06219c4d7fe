package dev.progresstracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.spi.ProgressStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A WebSocket server on a free port over {@code store}, a tracker factory publishing to it, and the
 * clients and runs a test opens from it; {@link #closeAll()} closes them all, newest first.
 */
final class RunsOnServer {

    private final List<AutoCloseable> toClose = new ArrayList<>();
    final WebSocketProgressServer server;
    final TrackerFactory factory;

    RunsOnServer(WebSocketConfig.Builder config, ProgressStore store) {
        server = WebSocketProgressServer.builder()
                .config(config.port(0).build())
                .store(store)
                .start();
        toClose.add(server);
        factory = TrackerFactory.builder().store(store).sink(server).build();
        toClose.add(factory);
    }

    TestClient client() throws InterruptedException {
        TestClient c = TestClient.open(server.uri());
        toClose.add(c::closeBlocking);
        return c;
    }

    /** A tracker of {@code runId}, closed with the rest. */
    ProgressTracker tracker(String runId) {
        ProgressTracker t = factory.tracker(runId);
        toClose.add(t);
        return t;
    }

    /** A run with {@code tasks} tasks added, started and completed: {@code 1 + 3 * tasks} events, all published. */
    ProgressTracker run(String runId, int tasks) {
        ProgressTracker t = tracker(runId);
        t.startUpgrade("prep");
        for (int i = 0; i < tasks; i++) {
            String id = "t" + i;
            t.addTask(id, "Task " + id, TaskType.UPGRADE_STEP, null);
            t.startTask(id);
            t.completeTask(id);
        }
        assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
        return t;
    }

    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }
}
