package dev.progresstracker.core.config;

/**
 * The common part of every configuration builder: values start at the defaults, each setter
 * checks its value at once (naming the property), {@link #build()} runs the record's constructor
 * and with it the rules across properties. A subclass adds one typed setter per setting:
 * {@code public Builder port(int v) { return set(PORT, v); }}. Not thread-safe; the records it
 * builds are immutable.
 *
 * @param <C> the configuration record
 * @param <B> the concrete builder
 */
public abstract class ConfigBuilder<C extends Record, B extends ConfigBuilder<C, B>> {
    private final ConfigSpec<C> spec;
    private final Object[] values;

    /** A builder holding the values of {@code from}, or the defaults when it is null. */
    protected ConfigBuilder(ConfigSpec<C> spec, C from) {
        this.spec = spec;
        this.values = from == null ? spec.defaultValues() : spec.values(from);
    }

    /** Sets {@code setting} to {@code value} after checking it; the builder is unchanged when it is refused. */
    protected final <T> B set(Setting<T> setting, T value) {
        values[spec.indexOf(setting)] = setting.check(value);
        return self();
    }

    /** The value {@code setting} holds now. */
    protected final <T> T get(Setting<T> setting) {
        return setting.type().cast(values[spec.indexOf(setting)]);
    }

    /** The record of the values set; throws what the record's rules across properties refuse. */
    public C build() {
        return spec.construct(values.clone());
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
