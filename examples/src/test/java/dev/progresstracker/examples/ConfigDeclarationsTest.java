package dev.progresstracker.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.analytics.AnalyticsConfig;
import dev.progresstracker.analytics.BatchAdvisorConfig;
import dev.progresstracker.callbacks.CallbackConfig;
import dev.progresstracker.core.EventLimits;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.config.ConfigSpec;
import dev.progresstracker.core.config.Setting;
import dev.progresstracker.dynamodb.DynamoDbStoreConfig;
import dev.progresstracker.eventbridge.EventBridgeConfig;
import dev.progresstracker.eventbridge.cloudwatch.CloudWatchConfig;
import dev.progresstracker.storage.FileStoreConfig;
import dev.progresstracker.websocket.WebSocketConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every declared property of every configuration record, checked the same way: its default is
 * valid, a value just below its minimum or just above its maximum is refused (by the typed builder
 * setter and from the environment) with a message naming the property, the variable, the value and
 * the range, and its variable's text is parsed back to the default.
 */
class ConfigDeclarationsTest {

    static final List<ConfigSpec<?>> SPECS = List.of(
            TrackerConfig.SPEC,
            EventLimits.SPEC,
            FileStoreConfig.SPEC,
            EventBridgeConfig.SPEC,
            CloudWatchConfig.SPEC,
            WebSocketConfig.SPEC,
            CallbackConfig.SPEC,
            DynamoDbStoreConfig.SPEC,
            AnalyticsConfig.SPEC,
            BatchAdvisorConfig.SPEC);

    /** (spec, setting) for every top-level setting: these have a typed builder setter of the same name. */
    static Stream<Arguments> settings() {
        return SPECS.stream()
                .flatMap(spec -> spec.settings().stream()
                        .map(s -> Arguments.of(spec.type().getSimpleName() + "." + s.name(), spec, s)));
    }

    /** Those of {@link #settings()} with a lower or upper bound. */
    static Stream<Arguments> bounded() {
        return settings().filter(a -> bounded((Setting<?>) a.get()[2]));
    }

    /** (spec, path, setting) for every setting read from the environment, nested ones under their path. */
    static Stream<Arguments> fromEnvironment() {
        return SPECS.stream()
                .flatMap(spec -> spec.flattened().stream()
                        .filter(e -> e.getValue().env().isPresent())
                        .map(e -> Arguments.of(spec.type().getSimpleName() + "." + e.getKey(), spec, e.getValue())));
    }

    /** Those of {@link #fromEnvironment()} with a lower or upper bound. */
    static Stream<Arguments> boundedFromEnvironment() {
        return fromEnvironment().filter(a -> bounded((Setting<?>) a.get()[2]));
    }

    private static boolean bounded(Setting<?> s) {
        return s.min().isPresent() || s.max().isPresent();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    <T> void the_default_is_valid_and_the_builder_setter_of_that_name_sets_this_setting(
            String id, ConfigSpec<?> spec, Setting<T> s) throws Exception {
        assertThat(s.check(s.defaultValue())).isEqualTo(s.defaultValue());
        assertThat(s.doc()).as("one-line doc of %s", id).isNotBlank();
        Object b = call(builder(spec), s.name(), s.defaultValue());
        Object built = b.getClass().getMethod("build").invoke(b);
        assertThat(built).isEqualTo(spec.defaults());
        assertThat(spec.type().getMethod(s.name()).invoke(spec.defaults())).isEqualTo(s.defaultValue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bounded")
    <T> void a_value_outside_the_range_is_refused_by_the_builder_naming_property_value_and_range(
            String id, ConfigSpec<?> spec, Setting<T> s) {
        List<T> outside = outside(s);
        assertThat(outside).isNotEmpty();
        for (T bad : outside) {
            assertThatThrownBy(() -> call(builder(spec), s.name(), bad))
                    .as("%s = %s", id, bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(s.name() + " must be " + s.allowed())
                    .hasMessageContaining("got " + s.envText(bad));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boundedFromEnvironment")
    <T> void from_the_environment_a_value_outside_the_range_is_refused_naming_the_variable(
            String id, ConfigSpec<?> spec, Setting<T> s) {
        Optional<String> env = s.env();
        for (T bad : outside(s)) {
            String text = s.envText(bad);
            assertThatThrownBy(() -> spec.fromEnvironment(Map.of(env.get(), text)))
                    .as("%s=%s", env.get(), text)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(env.get() + " (" + s.name() + ") must be " + s.allowed() + ", got '" + text + "'");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fromEnvironment")
    <T> void the_variable_holding_the_default_parses_back_to_the_defaults_and_garbage_is_refused(
            String id, ConfigSpec<?> spec, Setting<T> s) {
        Optional<String> env = s.env();
        if (s.defaultValue() != null) {
            assertThat(spec.fromEnvironment(Map.of(env.get(), " " + s.envText(s.defaultValue()) + " ")))
                    .isEqualTo(spec.defaults());
        }
        assertThat(spec.fromEnvironment(Map.of(env.get(), "  ")))
                .as("blank = unset")
                .isEqualTo(spec.defaults());
        if (s.type() == String.class || s.type() == java.nio.file.Path.class || s.type() == List.class) {
            return;
        }
        assertThatThrownBy(() -> spec.fromEnvironment(Map.of(env.get(), "not-a-value")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(env.get() + " (" + s.name() + ") must be ")
                .hasMessageEndingWith(", got 'not-a-value'");
    }

    /** Values just outside the declared bounds: below an inclusive minimum, at an exclusive one; likewise above. */
    @SuppressWarnings("unchecked")
    static <T> List<T> outside(Setting<T> s) {
        Stream<T> below = s.min().map(m -> (T) step(m, s.minExclusive() ? 0 : -1, s.isZeroAllowed())).stream();
        Stream<T> above = s.max().map(m -> (T) step(m, s.maxExclusive() ? 0 : 1, s.isZeroAllowed())).stream();
        return Stream.concat(below, above).toList();
    }

    /** {@code v} moved by the smallest step in {@code direction}; past zero where zero is allowed. */
    private static Object step(Object v, int direction, boolean zeroAllowed) {
        Object next;
        if (v instanceof Integer i) {
            next = i + direction;
        } else if (v instanceof Long l) {
            next = l + direction;
        } else if (v instanceof Double d) {
            next = direction == 0 ? d : direction < 0 ? Math.nextDown(d) : Math.nextUp(d);
        } else if (v instanceof Duration d) {
            next = d.plusMillis(direction);
        } else {
            throw new AssertionError("no order for " + v);
        }
        boolean zero = next instanceof Duration d ? d.isZero() : ((Number) next).doubleValue() == 0;
        return zero && zeroAllowed ? step(next, direction == 0 ? -1 : direction, false) : next;
    }

    private static Object builder(ConfigSpec<?> spec) throws ReflectiveOperationException {
        return spec.type().getMethod("builder").invoke(null);
    }

    /** Calls the typed setter {@code name} of a builder, unwrapping what it throws. */
    private static Object call(Object builder, String name, Object value) throws Exception {
        Method setter = Arrays.stream(builder.getClass().getMethods())
                .filter(m -> m.getName().equals(name) && m.getParameterCount() == 1)
                .findFirst()
                .orElseThrow(() -> new AssertionError(builder.getClass().getName() + " has no setter " + name));
        try {
            return setter.invoke(builder, value);
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
    }
}
