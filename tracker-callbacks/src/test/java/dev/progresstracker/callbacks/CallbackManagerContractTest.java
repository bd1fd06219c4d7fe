package dev.progresstracker.callbacks;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.test.EventSinkContract;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The manager's "outside world" is a listener: what it received is what the manager delivered. */
class CallbackManagerContractTest extends EventSinkContract {

    private final Map<EventSink, List<ProgressEvent>> received = new ConcurrentHashMap<>();

    @Override
    protected EventSink createSink() {
        CallbackManager manager =
                CallbackManager.create(CallbackConfig.builder().threads(2).build());
        List<ProgressEvent> got = Collections.synchronizedList(new ArrayList<>());
        manager.onEvent(got::add);
        received.put(manager, got);
        return manager;
    }

    @Override
    protected List<ProgressEvent> delivered(EventSink sink) {
        List<ProgressEvent> got = received.get(sink);
        synchronized (got) {
            return List.copyOf(got);
        }
    }
}
