package dev.progresstracker.websocket;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.test.EventSinkContract;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** The server passes the sink contract, observed by a real Java-WebSocket client subscribed to "*". */
class WebSocketSinkContractTest extends EventSinkContract {

    private final Map<EventSink, TestClient> clients = new IdentityHashMap<>();
    private final List<WebSocketProgressServer> servers = new ArrayList<>();

    @Override
    protected EventSink createSink() throws Exception {
        WebSocketProgressServer server = WebSocketProgressServer.builder()
                .config(WebSocketConfig.builder().port(0).build())
                .start();
        servers.add(server);
        TestClient client = TestClient.open(server.uri());
        client.request("{\"type\":\"subscribe\",\"runId\":\"*\"}");
        clients.put(server, client);
        return server;
    }

    @Override
    protected List<ProgressEvent> delivered(EventSink sink) {
        return clients.get(sink).events();
    }

    /**
     * Closing the server closes its clients without a promise that the send thread emptied their
     * buffers first (it often has: the case passes with true on an idle machine); a client catches
     * up by resuming with {@code sinceSequence} against a server that has the run.
     */
    @Override
    protected boolean closeDelivers() {
        return false;
    }

    @AfterEach
    void closeAll() {
        clients.values().forEach(TestClient::close);
        servers.forEach(WebSocketProgressServer::close);
    }
}
