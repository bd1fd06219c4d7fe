package dev.progresstracker.core.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The settings of one configuration record, in the order of its components: the one place a
 * record's properties are declared. From it come the builder's checks ({@link ConfigBuilder}),
 * {@link #fromEnvironment}, {@link #defaults}, {@link #toString(Record)} and the README tables.
 * {@link #of} checks that the settings match the record's components by name and type, so a record
 * and its declarations cannot drift apart. Immutable and thread-safe.
 *
 * @param <C> the configuration record
 */
public final class ConfigSpec<C extends Record> {
    private final Class<C> type;
    private final List<Setting<?>> settings;
    private final Constructor<C> constructor;
    private final RecordComponent[] components;
    private volatile C defaults;

    private ConfigSpec(Class<C> type, List<Setting<?>> settings) {
        this.type = type;
        this.settings = settings;
        this.components = type.getRecordComponents();
        List<String> declared = settings.stream().map(Setting::name).toList();
        List<String> recorded =
                Arrays.stream(components).map(RecordComponent::getName).toList();
        if (!declared.equals(recorded)) {
            throw new IllegalStateException(
                    type.getSimpleName() + " declares settings " + declared + " but its components are " + recorded);
        }
        for (int i = 0; i < components.length; i++) {
            Class<?> boxed = box(components[i].getType());
            if (!boxed.isAssignableFrom(settings.get(i).type())) {
                throw new IllegalStateException(type.getSimpleName() + "." + declared.get(i) + " is a "
                        + components[i].getType().getSimpleName() + " but its setting a "
                        + settings.get(i).type().getSimpleName());
            }
        }
        try {
            this.constructor = type.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type + " has no canonical constructor", e);
        }
    }

    /** The declarations of {@code type}, one per record component, in their order. */
    public static <C extends Record> ConfigSpec<C> of(Class<C> type, Setting<?>... settings) {
        return new ConfigSpec<>(Objects.requireNonNull(type, "type"), List.of(settings));
    }

    public Class<C> type() {
        return type;
    }

    /** The declarations, in the order of the record's components. */
    public List<Setting<?>> settings() {
        return settings;
    }

    /** The record with every default; built once. */
    public C defaults() {
        C d = defaults;
        if (d == null) {
            d = construct(defaultValues());
            defaults = d;
        }
        return d;
    }

    /**
     * Checks each value against its setting, in order; for the record's compact constructor, so a
     * record built without its builder is checked too. Rules across settings stay in the record.
     */
    public void validate(Object... values) {
        if (values.length != settings.size()) {
            throw new IllegalArgumentException(
                    type.getSimpleName() + " has " + settings.size() + " settings, got " + values.length + " values");
        }
        for (int i = 0; i < values.length; i++) {
            checked(settings.get(i), values[i]);
        }
    }

    /**
     * The defaults overridden by the environment variables of the settings, looked up in {@code env}
     * (typically {@code System::getenv}); blank values count as unset. A bad value is refused naming
     * the variable, the property, the value and what is allowed.
     */
    public C fromEnvironment(Function<String, String> env) {
        Objects.requireNonNull(env, "env");
        return fromEnvironment(env, "");
    }

    /** Same as {@link #fromEnvironment(Function)} over a map. */
    public C fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env::get);
    }

    private C fromEnvironment(Function<String, String> env, String prefix) {
        Object[] values = defaultValues();
        for (int i = 0; i < settings.size(); i++) {
            Setting<?> s = settings.get(i).withEnvPrefix(prefix);
            if (s.nestedSpec().isPresent()) {
                values[i] = s.nestedSpec().get().fromEnvironment(env, prefix + s.envPrefix());
            } else if (s.env().isPresent()) {
                String text = env.apply(s.env().get());
                if (text != null && !text.isBlank()) {
                    values[i] = s.parse(text.trim());
                }
            }
        }
        return construct(values);
    }

    /** {@code Type[name=value, …]}, secrets as {@code ***}; for the record's {@code toString}. */
    public String toString(C config) {
        Object[] values = values(config);
        StringBuilder b = new StringBuilder(type.getSimpleName()).append('[');
        for (int i = 0; i < values.length; i++) {
            Setting<?> s = settings.get(i);
            b.append(i == 0 ? "" : ", ").append(s.name()).append('=');
            b.append(s.isSecret() ? (values[i] == null ? "none" : "***") : String.valueOf(values[i]));
        }
        return b.append(']').toString();
    }

    Object[] defaultValues() {
        return settings.stream().map(Setting::defaultValue).toArray();
    }

    Object[] values(C config) {
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            try {
                values[i] = components[i].getAccessor().invoke(config);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + components[i], e);
            }
        }
        return values;
    }

    int indexOf(Setting<?> setting) {
        int i = settings.indexOf(setting);
        if (i < 0) {
            throw new IllegalArgumentException(setting + " is not a setting of " + type.getSimpleName());
        }
        return i;
    }

    C construct(Object[] values) {
        try {
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T checked(Setting<T> s, Object value) {
        return s.check((T) value);
    }

    private static Class<?> box(Class<?> c) {
        if (!c.isPrimitive()) {
            return c;
        }
        return c == int.class
                ? Integer.class
                : c == long.class
                        ? Long.class
                        : c == double.class ? Double.class : c == boolean.class ? Boolean.class : c;
    }

    /** The settings of this record and of the records nested in it, as paths ({@code journalConfig.durability}). */
    public List<Map.Entry<String, Setting<?>>> flattened() {
        List<Map.Entry<String, Setting<?>>> out = new ArrayList<>();
        flatten("", "", out);
        return out;
    }

    private void flatten(String path, String envPrefix, List<Map.Entry<String, Setting<?>>> out) {
        for (Setting<?> s : settings) {
            if (s.nestedSpec().isPresent()) {
                s.nestedSpec().get().flatten(path + s.name() + ".", envPrefix + s.envPrefix(), out);
            } else {
                out.add(Map.entry(path + s.name(), s.withEnvPrefix(envPrefix)));
            }
        }
    }

    @Override
    public String toString() {
        return "ConfigSpec[" + type.getSimpleName() + "]";
    }
}
