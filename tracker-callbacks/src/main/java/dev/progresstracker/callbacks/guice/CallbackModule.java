package dev.progresstracker.callbacks.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import dev.progresstracker.callbacks.CallbackConfig;
import dev.progresstracker.callbacks.CallbackManager;
import dev.progresstracker.core.spi.EventSink;
import java.util.Objects;

/**
 * Contributes one singleton {@link CallbackManager} to the tracker's {@code Multibinder<EventSink>}
 * (see {@code TrackerModule}) and binds it for injection, so the tracker's {@code onEvent}/{@code
 * onStatus} and users who inject the manager share it. With {@link CallbackConfig#enabled()} false
 * the module binds nothing: callbacks are off and the tracker's {@code onEvent} says so.
 */
public final class CallbackModule extends AbstractModule {

    private final CallbackConfig config;

    public CallbackModule() {
        this(CallbackConfig.defaults());
    }

    public CallbackModule(CallbackConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
    }

    /** A module configured from {@code TRACKER_CALLBACKS_*} environment variables. */
    public static CallbackModule fromEnvironment() {
        return new CallbackModule(CallbackConfig.fromEnvironment(System::getenv));
    }

    @Override
    protected void configure() {
        if (!config.enabled()) {
            return;
        }
        bind(CallbackConfig.class).toInstance(config);
        // Bound here rather than by @Provides: a disabled module must contribute nothing at all.
        bind(CallbackManager.class).toProvider(new ManagerProvider(config)).in(Singleton.class);
        Multibinder.newSetBinder(binder(), EventSink.class).addBinding().to(CallbackManager.class);
    }

    private static final class ManagerProvider implements Provider<CallbackManager> {
        private final CallbackConfig config;

        ManagerProvider(CallbackConfig config) {
            this.config = config;
        }

        @Override
        public CallbackManager get() {
            return CallbackManager.create(config);
        }
    }
}
