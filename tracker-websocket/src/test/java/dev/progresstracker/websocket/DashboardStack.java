package dev.progresstracker.websocket;

import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.spi.OverflowPolicy;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.test.RecordingSink;

/**
 * What every dashboard browser test runs against: a WebSocket server and the dashboard on
 * 127.0.0.1 (free ports), a tracker factory that publishes to that server and to {@link #emitted}
 * (what the page must end up showing), and at most one {@link BrowserPage}. Closing closes the page
 * first, then the factory, the dashboard and the server.
 */
final class DashboardStack implements AutoCloseable {

    final RecordingSink emitted = new RecordingSink("emitted", OverflowPolicy.BLOCK, 1 << 20);
    final WebSocketProgressServer server;
    final DashboardServer dashboard;
    final TrackerFactory factory;
    private BrowserPage page;

    private DashboardStack(InMemoryProgressStore store, WebSocketConfig webSocket, TrackerConfig tracker)
            throws Exception {
        server =
                WebSocketProgressServer.builder().store(store).config(webSocket).start();
        dashboard = DashboardServer.start(server, "127.0.0.1", 0);
        factory = TrackerFactory.builder()
                .store(store)
                .sink(server)
                .sink(emitted)
                .config(tracker)
                .build();
    }

    /** Checks the browser tools first ({@link BrowserPage#requireTools()}); default configurations. */
    static DashboardStack start(InMemoryProgressStore store) throws Exception {
        return start(store, WebSocketConfig.builder().port(0).build(), TrackerConfig.defaults());
    }

    /** Checks the browser tools first ({@link BrowserPage#requireTools()}). */
    static DashboardStack start(InMemoryProgressStore store, WebSocketConfig webSocket, TrackerConfig tracker)
            throws Exception {
        BrowserPage.requireTools();
        return new DashboardStack(store, webSocket, tracker);
    }

    /** Opens the dashboard at {@code fragment} ("" or "#…"), logging the driver to {@code log}. */
    BrowserPage open(String fragment, String log, String... driverOptions) throws Exception {
        if (page != null) {
            throw new IllegalStateException("a page is open already");
        }
        page = BrowserPage.open(dashboard.uri() + fragment, log, driverOptions);
        return page;
    }

    @Override
    public void close() {
        if (page != null) {
            page.close();
        }
        factory.close();
        dashboard.close();
        server.close();
    }
}
