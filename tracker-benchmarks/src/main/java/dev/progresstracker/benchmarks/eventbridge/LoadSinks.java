package dev.progresstracker.benchmarks.eventbridge;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.EventSink;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The sinks the EventBridge load driver sets beside (or instead of) the EventBridge sink. */
final class LoadSinks {

    private LoadSinks() {}

    /** A sink that does nothing: what any sink costs the caller through the core dispatcher. */
    static final class NoOp implements EventSink {
        @Override
        public void publish(ProgressEvent event) {}
    }

    /**
     * A sink that spins for a fixed time per event and allocates nothing: shows what the length of the
     * sink thread's work per event alone costs the caller (a woken sink thread can preempt the caller).
     */
    static final class Busy implements EventSink {
        private final long nanos;

        Busy(long nanos) {
            this.nanos = nanos;
        }

        @Override
        public void publish(ProgressEvent event) {
            long end = System.nanoTime() + nanos;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        }
    }

    /** Records every lifecycle event the tracker emitted, as {@code runId#sequence}. */
    static final class LifecycleRecorder implements EventSink {
        final Set<String> keys = ConcurrentHashMap.newKeySet();

        @Override
        public void publish(ProgressEvent event) {
            if (event.type().isLifecycle()) {
                keys.add(event.runId() + "#" + event.sequence());
            }
        }
    }
}
