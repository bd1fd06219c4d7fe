package dev.progresstracker.test;

import dev.progresstracker.core.config.ConfigSpec;
import dev.progresstracker.core.config.Setting;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README tables of the configuration records, generated from their {@link ConfigSpec}s. A table
 * sits between {@code <!-- config-table: fully.qualified.Config -->} and {@code <!-- /config-table -->};
 * {@link #regenerate(String)} rewrites every such block from the record's {@code SPEC} field.
 */
public final class ConfigTables {
    private static final Pattern BLOCK =
            Pattern.compile("(<!-- config-table: ([\\w.]+) -->\\n)(.*?)(<!-- /config-table -->)", Pattern.DOTALL);

    private ConfigTables() {}

    /** One row per setting (nested records' settings as {@code outer.inner}): field, env variable, default, allowed, meaning. */
    public static String table(ConfigSpec<?> spec) {
        StringBuilder b =
                new StringBuilder("| field | env variable | default | allowed | meaning |\n|---|---|---|---|---|\n");
        for (Map.Entry<String, Setting<?>> e : spec.flattened()) {
            Setting<?> s = e.getValue();
            b.append("| `")
                    .append(e.getKey())
                    .append("` | ")
                    .append(s.env().map(v -> "`" + v + "`").orElse("—"))
                    .append(" | ")
                    .append(cell(code(s) ? "`" + s.defaultShown() + "`" : s.defaultShown()))
                    .append(" | ")
                    .append(cell(s.allowed()))
                    .append(" | ")
                    .append(cell(s.doc()))
                    .append(" |\n");
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

    /**
     * The overview of the root README: one row per record with every environment variable it reads
     * and a link to its table; {@code links} maps each record to that link (README path and anchor).
     */
    public static String overview(Map<ConfigSpec<?>, String> links) {
        StringBuilder b = new StringBuilder("| config | env variables | table |\n|---|---|---|\n");
        links.forEach((spec, link) -> {
            b.append("| `").append(spec.type().getSimpleName()).append("` | ");
            List<String> variables = spec.flattened().stream()
                    .map(e -> e.getValue().env())
                    .flatMap(Optional::stream)
                    .map(v -> "`" + v + "`")
                    .toList();
            b.append(variables.isEmpty() ? "— (code only)" : String.join(", ", variables));
            b.append(" | [")
                    .append(link.replaceAll("/README.md.*", ""))
                    .append("](")
                    .append(link)
                    .append(") |\n");
        });
        return b.toString();
    }

    /** {@code markdown} with the block between {@code <!-- name -->} and {@code <!-- /name -->} replaced by {@code content}. */
    public static String replaceBlock(String markdown, String name, String content) {
        Matcher m = Pattern.compile("(<!-- " + name + " -->\\n)(.*?)(<!-- /" + name + " -->)", Pattern.DOTALL)
                .matcher(markdown);
        return m.find() ? markdown.substring(0, m.end(1)) + content + markdown.substring(m.start(3)) : markdown;
    }

    /** The {@code SPEC} of the configuration record named {@code className}. */
    public static ConfigSpec<?> spec(String className) {
        try {
            return (ConfigSpec<?>) Class.forName(className).getField("SPEC").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("no public static SPEC in " + className, e);
        }
    }

    /** Whether the default is a literal to type (a name, a path, an enum constant) rather than a quantity. */
    private static boolean code(Setting<?> s) {
        Class<?> t = s.type();
        return s.defaultValue() != null
                && !s.isSecret()
                && (t == String.class
                        || t.isEnum()
                        || java.nio.file.Path.class.isAssignableFrom(t)
                        || t == java.net.URI.class);
    }

    private static String cell(String text) {
        return text.isEmpty() ? "" : text.replace("|", "\\|");
    }
}
