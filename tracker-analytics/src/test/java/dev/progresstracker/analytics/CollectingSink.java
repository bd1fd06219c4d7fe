package dev.progresstracker.analytics;

import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.core.spi.OverflowPolicy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event (BLOCK: nothing conflated away). */
final class CollectingSink implements EventSink {
    final List<ProgressEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public OverflowPolicy overflowPolicy() {
        return OverflowPolicy.BLOCK;
    }

    @Override
    public void publish(ProgressEvent event) {
        events.add(event);
    }

    long count(EventType type) {
        return events.stream().filter(e -> e.type() == type).count();
    }
}
