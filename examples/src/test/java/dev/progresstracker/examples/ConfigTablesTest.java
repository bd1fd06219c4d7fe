package dev.progresstracker.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.config.ConfigSpec;
import dev.progresstracker.test.ConfigTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The configuration tables of the READMEs are generated from the declarations ({@code SPEC} of each
 * record, via {@link ConfigTables}); this test fails when one drifts and prints the table as it
 * should be. To rewrite the READMEs in place, run it with {@code -Dconfig.tables.write=true} (see
 * {@link #REGENERATE}).
 */
class ConfigTablesTest {
    private static final Pattern BLOCK = Pattern.compile(
            "<!-- (config-table: [\\w.]+|config-overview) -->\\n.*?<!-- /config-\\w+ -->", Pattern.DOTALL);
    static final String REGENERATE = "./mvnw -B -ntp -o test -pl examples -am -Dtest=ConfigTablesTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dconfig.tables.write=true";

    @Test
    void every_readme_configuration_table_matches_the_declarations() throws IOException {
        Path root = Path.of(System.getenv().getOrDefault("TRACKER_TEST_ROOT", ".."))
                .toAbsolutePath()
                .normalize();
        List<String> drifted = new ArrayList<>();
        int tables = 0;
        String overview = ConfigTables.overview(links(root));
        for (Path readme : readmes(root)) {
            String text = Files.readString(readme, StandardCharsets.UTF_8);
            tables += text.split("<!-- config-table: ", -1).length - 1;
            String expected = ConfigTables.replaceBlock(ConfigTables.regenerate(text), "config-overview", overview);
            if (!expected.equals(text)) {
                if (Boolean.getBoolean("config.tables.write")) {
                    Files.writeString(readme, expected, StandardCharsets.UTF_8);
                } else {
                    drifted.add(root.relativize(readme) + ":\n" + changedBlocks(text, expected));
                }
            }
        }
        assertThat(tables)
                .as("configuration tables found under %s", root)
                .isGreaterThanOrEqualTo(ConfigDeclarationsTest.SPECS.size() - 2);
        assertThat(drifted)
                .as("README configuration tables differ from the declarations; regenerate with\n  " + REGENERATE + "\n")
                .isEmpty();
    }

    @Test
    void every_declared_configuration_has_a_table() throws IOException {
        Path root = Path.of(System.getenv().getOrDefault("TRACKER_TEST_ROOT", ".."))
                .toAbsolutePath()
                .normalize();
        StringBuilder all = new StringBuilder();
        for (Path readme : readmes(root)) {
            all.append(Files.readString(readme, StandardCharsets.UTF_8));
        }
        ConfigDeclarationsTest.SPECS.stream()
                .filter(spec -> ConfigDeclarationsTest.SPECS.stream()
                        .noneMatch(outer -> outer.settings().stream()
                                .anyMatch(s ->
                                        s.nestedSpec().filter(n -> n == spec).isPresent())))
                .forEach(spec -> assertThat(all)
                        .as("a table of %s", spec.type().getName())
                        .contains("<!-- config-table: " + spec.type().getName() + " -->"));
    }

    /** The generated blocks of {@code expected} that {@code actual} does not hold as they are. */
    private static String changedBlocks(String actual, String expected) {
        Matcher m = BLOCK.matcher(expected);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (!actual.contains(m.group())) {
                out.append(m.group()).append('\n');
            }
        }
        return out.toString();
    }

    /** Each record with a table: the README holding it and the anchor of the heading above the table. */
    private static Map<ConfigSpec<?>, String> links(Path root) throws IOException {
        Map<ConfigSpec<?>, String> links = new LinkedHashMap<>();
        for (ConfigSpec<?> spec : ConfigDeclarationsTest.SPECS) {
            for (Path readme : readmes(root)) {
                String text = Files.readString(readme, StandardCharsets.UTF_8);
                int at = text.indexOf("<!-- config-table: " + spec.type().getName() + " -->");
                if (at >= 0 && !readme.getParent().equals(root)) {
                    String heading = text.substring(0, at)
                            .lines()
                            .filter(l -> l.startsWith("#"))
                            .reduce((a, b) -> b)
                            .orElse("");
                    String anchor = heading.replaceFirst("^#+\\s*", "")
                            .toLowerCase(Locale.ROOT)
                            .replaceAll("[^a-z0-9 _-]", "")
                            .replace(' ', '-');
                    links.put(spec, root.relativize(readme).toString().replace('\\', '/') + "#" + anchor);
                }
            }
        }
        return links;
    }

    private static List<Path> readmes(Path root) throws IOException {
        try (Stream<Path> dirs = Files.list(root)) {
            List<Path> out = new ArrayList<>(List.of(root.resolve("README.md")));
            dirs.map(d -> d.resolve("README.md"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .forEach(out::add);
            return out;
        }
    }
}
