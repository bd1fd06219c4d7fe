package dev.progresstracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.util.Modules;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.guice.TrackerModule;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.core.spi.OverflowPolicy;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.test.RecordingSink;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GuiceWiringTest {

    /** What an output module looks like: it contributes a store and/or sinks. */
    static final class FakeOutputModule extends AbstractModule {
        final RecordingSink sink = new RecordingSink("fake-output", OverflowPolicy.BLOCK, 1000);
        final ProgressStore store = new InMemoryProgressStore();

        @Override
        protected void configure() {
            OptionalBinder.newOptionalBinder(binder(), ProgressStore.class)
                    .setBinding()
                    .toInstance(store);
            Multibinder.newSetBinder(binder(), EventSink.class).addBinding().toInstance(sink);
        }
    }

    @Test
    void withOnlyTheCoreModuleTheTrackerRunsInMemoryWithoutSinks() {
        Injector injector = Guice.createInjector(TrackerModule.forRun(TrackerConfig.defaults(), "g-1", "plan", "c"));
        ProgressTracker t = injector.getInstance(ProgressTracker.class);
        assertThat(injector.getInstance(ProgressTracker.class)).isSameAs(t);
        t.startUpgrade("p");
        assertThat(t.summary().clusterName()).isEqualTo("c");
        assertThat(injector.getInstance(ProgressStore.class)).isInstanceOf(InMemoryProgressStore.class);
        injector.getInstance(TrackerFactory.class).close();
    }

    @Test
    void outputModulesContributeTheirStoreAndSinks() {
        FakeOutputModule output = new FakeOutputModule();
        Injector injector = Guice.createInjector(new TrackerModule(), output);
        TrackerFactory factory = injector.getInstance(TrackerFactory.class);
        try (ProgressTracker t = factory.tracker("g-2")) {
            t.startUpgrade("p");
        }
        assertThat(output.sink.events()).extracting(ProgressEvent::runId).containsExactly("g-2");
        assertThat(output.store.loadRun("g-2")).isPresent();
        factory.close();
    }

    @Test
    void aUserBindingReplacesAComponentAndTheRestKeepsWorking() {
        FakeOutputModule output = new FakeOutputModule();
        ProgressStore mine = new InMemoryProgressStore();
        Injector injector = Guice.createInjector(Modules.override(new TrackerModule(), output)
                .with(new AbstractModule() {
                    @Override
                    protected void configure() {
                        OptionalBinder.newOptionalBinder(binder(), ProgressStore.class)
                                .setBinding()
                                .toInstance(mine);
                    }
                }));
        TrackerFactory factory = injector.getInstance(TrackerFactory.class);
        try (ProgressTracker t = factory.tracker("g-3")) {
            t.startUpgrade("p");
            t.flush(Duration.ofSeconds(5));
        }
        assertThat(mine.loadRun("g-3")).isPresent();
        assertThat(output.store.loadRun("g-3")).isEmpty();
        assertThat(output.sink.events()).hasSize(1);
        factory.close();
    }

    @Test
    void injectingATrackerWithoutARunSaysHowToGetOne() {
        Injector injector = Guice.createInjector(new TrackerModule());
        assertThatThrownBy(() -> injector.getInstance(ProgressTracker.class))
                .hasMessageContaining("TrackerModule.forRun");
    }
}
