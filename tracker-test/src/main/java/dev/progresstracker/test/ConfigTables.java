package dev.progresstracker.test;

import dev.progresstracker.core.config.ConfigSpec;
import dev.progresstracker.core.config.Setting;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README tables of the configuration records, generated from their {@link ConfigSpec}s. A table
 * sits between {@code <!-- config-table: fully.qualified.Config -->} and {@code <!-- /config-table -->};
 * {@link #regenerate(String)} rewrites every such block from the record's {@code SPEC} field.
 */
public final class ConfigTables {
    private static final Pattern BLOCK = Pattern.compile(
            "(<!-- config-table: ([\\w.]+) -->\\n)(.*?)(<!-- /config-table -->)", Pattern.DOTALL);

    private ConfigTables() {
    }

    /** One row per setting (nested records' settings as {@code outer.inner}): field, env variable, default, allowed, meaning. */
    public static String table(ConfigSpec<?> spec) {
        StringBuilder b = new StringBuilder("| field | env variable | default | allowed | meaning |\n|---|---|---|---|---|\n");
        for (Map.Entry<String, Setting<?>> e : spec.flattened()) {
            Setting<?> s = e.getValue();
            b.append("| `").append(e.getKey()).append("` | ")
                    .append(s.env().map(v -> "`" + v + "`").orElse("—")).append(" | ")
                    .append(cell(s.defaultShown())).append(" | ")
                    .append(cell(s.allowed())).append(" | ")
                    .append(cell(s.doc())).append(" |\n");
        }
        return b.toString();
    }

    /** {@code markdown} with every marked table rebuilt from its record's declarations. */
    public static String regenerate(String markdown) {
        Matcher m = BLOCK.matcher(markdown);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String table = table(spec(m.group(2)));
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + table + m.group(4)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The {@code SPEC} of the configuration record named {@code className}. */
    public static ConfigSpec<?> spec(String className) {
        try {
            return (ConfigSpec<?>) Class.forName(className).getField("SPEC").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("no public static SPEC in " + className, e);
        }
    }

    private static String cell(String text) {
        return text.isEmpty() ? "" : text.replace("|", "\\|");
    }
}
