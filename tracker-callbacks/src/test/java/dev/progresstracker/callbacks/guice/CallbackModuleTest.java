package dev.progresstracker.callbacks.guice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.progresstracker.callbacks.CallbackConfig;
import dev.progresstracker.callbacks.CallbackManager;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.guice.TrackerModule;
import dev.progresstracker.core.spi.EventSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallbackModuleTest {

    @Test
    void contributesOneManagerThatIsBothTheSinkAndTheInjectableOne() {
        Injector injector = Guice.createInjector(
                TrackerModule.forRun(TrackerConfig.defaults(), "guice-run", null, null),
                new CallbackModule(
                        CallbackConfig.builder().threads(2).name("hooks").build()));
        CallbackManager manager = injector.getInstance(CallbackManager.class);
        Set<EventSink> sinks = injector.getInstance(Key.get(new TypeLiteral<Set<EventSink>>() {}));
        assertThat(sinks).containsExactly(manager);
        assertThat(manager.name()).isEqualTo("hooks");
        List<ProgressEvent> viaManager = Collections.synchronizedList(new ArrayList<>());
        List<ProgressEvent> viaTracker = Collections.synchronizedList(new ArrayList<>());
        manager.onEvent(viaManager::add);
        try (ProgressTracker t = injector.getInstance(ProgressTracker.class)) {
            t.onEvent(viaTracker::add);
            t.startUpgrade("p");
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(manager.awaitIdle(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(viaManager).hasSize(1);
        assertThat(viaTracker).hasSize(1);
        manager.close();
    }

    @Test
    void aDisabledConfigContributesNothing() {
        Injector injector = Guice.createInjector(
                TrackerModule.forRun(TrackerConfig.defaults(), "guice-off", null, null),
                new CallbackModule(CallbackConfig.builder().enabled(false).build()));
        assertThat(injector.getInstance(Key.get(new TypeLiteral<Set<EventSink>>() {})))
                .isEmpty();
        assertThat(injector.getExistingBinding(Key.get(CallbackManager.class))).isNull();
        try (ProgressTracker t = injector.getInstance(ProgressTracker.class)) {
            assertThatThrownBy(() -> t.onEvent(e -> {}))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("callbacks are switched off");
        }
    }
}
