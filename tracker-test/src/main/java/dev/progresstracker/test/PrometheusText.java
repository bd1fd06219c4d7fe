package dev.progresstracker.test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests of a {@code /metrics}
 * endpoint: every line must be a {@code # HELP}, a {@code # TYPE} or a sample of a declared family,
 * names and labels must be valid, values numbers. Throws {@link IllegalArgumentException} naming the line.
 */
public final class PrometheusText {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE =
            Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+-?\\d+)?");
    private static final Pattern LABEL =
            Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?");

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    /** One metric family: its {@code # TYPE}, {@code # HELP} and samples. */
    public record Family(String name, String type, String help, List<Sample> samples) {}

    private PrometheusText() {}

    /** The families of {@code text} by name, in order of appearance. */
    public static Map<String, Family> parse(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> helps = new LinkedHashMap<>();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("# TYPE ") || line.startsWith("# HELP ")) {
                String[] p = line.substring(7).split(" ", 2);
                if (!NAME.matcher(p[0]).matches() || p.length < 2) {
                    throw new IllegalArgumentException("line " + n + ": bad comment: " + line);
                }
                if (line.startsWith("# TYPE ")) {
                    if (!List.of("counter", "gauge", "summary", "histogram", "untyped")
                            .contains(p[1])) {
                        throw new IllegalArgumentException("line " + n + ": unknown type: " + line);
                    }
                    types.put(p[0], p[1]);
                    samples.putIfAbsent(p[0], new ArrayList<>());
                } else {
                    helps.put(p[0], p[1]);
                }
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("line " + n + ": not a sample: " + line);
            }
            String name = m.group(1);
            String family = familyOf(name, types);
            if (family == null) {
                throw new IllegalArgumentException("line " + n + ": sample of no declared family: " + line);
            }
            samples.get(family).add(new Sample(name, labels(m.group(3), n), value(m.group(4), n)));
        }
        Map<String, Family> out = new LinkedHashMap<>();
        types.forEach((name, type) -> out.put(name, new Family(name, type, helps.get(name), samples.get(name))));
        return out;
    }

    private static String familyOf(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : List.of("_total", "_count", "_sum", "_bucket", "_created")) {
            if (sample.endsWith(suffix) && types.containsKey(sample.substring(0, sample.length() - suffix.length()))) {
                return sample.substring(0, sample.length() - suffix.length());
            }
        }
        return null;
    }

    private static Map<String, String> labels(String body, int n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body == null || body.isBlank()) {
            return out;
        }
        Matcher m = LABEL.matcher(body);
        int at = 0;
        while (at < body.length() && m.find(at) && m.start() == at) {
            out.put(
                    m.group(1),
                    m.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
            at = m.end();
        }
        if (at != body.length()) {
            throw new IllegalArgumentException("line " + n + ": bad labels: {" + body + "}");
        }
        return out;
    }

    private static double value(String v, int n) {
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("line " + n + ": bad value '" + v + "'");
                }
            }
        };
    }
}
