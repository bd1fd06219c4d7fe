package dev.progresstracker.callbacks.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Meters of a manager: per listener (tag {@code listener}) {@code callbacks.invocations},
 * {@code callbacks.failures}, {@code callbacks.timeouts}, {@code callbacks.dropped},
 * {@code callbacks.pending} and the timer {@code callbacks.latency}; plus {@code callbacks.listeners}.
 * All tagged {@code manager}. Listeners registered after binding get their meters at registration;
 * an unregistered listener's meters are removed.
 */
public final class CallbackMeters implements MeterBinder {

    private final String manager;
    private final Supplier<ListenerSlot[]> slots;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

    public CallbackMeters(String manager, Supplier<ListenerSlot[]> slots) {
        this.manager = manager;
        this.slots = slots;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (registries.contains(registry)) {
            return;
        }
        registries.add(registry);
        Gauge.builder("callbacks.listeners", slots, s -> s.get().length)
                .description("Registered listeners")
                .tags("manager", manager)
                .register(registry);
        for (ListenerSlot s : slots.get()) {
            bind(registry, s);
        }
    }

    public synchronized void added(ListenerSlot slot) {
        for (MeterRegistry r : registries) {
            bind(r, slot);
        }
    }

    public synchronized void removed(ListenerSlot slot) {
        for (MeterRegistry r : registries) {
            slot.removeMeters(r);
        }
    }

    private void bind(MeterRegistry r, ListenerSlot s) {
        Tags tags = Tags.of("manager", manager, "listener", s.name());
        Timer latency = Timer.builder("callbacks.latency")
                .description("Time from the start of an invocation to its end (or its stage's completion)")
                .tags(tags)
                .register(r);
        List<Meter> others = List.of(
                FunctionCounter.builder("callbacks.invocations", s, ListenerSlot::invocations)
                        .description("Invocations finished, including failed and timed out ones")
                        .tags(tags)
                        .register(r),
                FunctionCounter.builder("callbacks.failures", s, ListenerSlot::failures)
                        .description("Invocations that threw or completed exceptionally")
                        .tags(tags)
                        .register(r),
                FunctionCounter.builder("callbacks.timeouts", s, ListenerSlot::timeouts)
                        .description("Invocations abandoned after the listener's timeout")
                        .tags(tags)
                        .register(r),
                FunctionCounter.builder("callbacks.dropped", s, ListenerSlot::dropped)
                        .description("Events never handed to the listener (queue overflow, close)")
                        .tags(tags)
                        .register(r),
                Gauge.builder("callbacks.pending", s, ListenerSlot::pending)
                        .description("Events queued or running for the listener")
                        .tags(tags)
                        .register(r));
        s.addMeters(latency, others);
    }
}
