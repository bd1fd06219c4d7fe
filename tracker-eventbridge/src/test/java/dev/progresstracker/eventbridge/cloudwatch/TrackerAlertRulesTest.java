package dev.progresstracker.eventbridge.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * deploy/prometheus/tracker-alerts.yaml, checked without {@code promtool} (not installable from a
 * registry here): the rule-file structure Prometheus expects, balanced expressions, durations it
 * accepts, and metric names the tracker exposes ({@link TrackerMetric#prometheusName()}).
 */
class TrackerAlertRulesTest {

    static final Path RULES =
            OperationsTemplateTest.TEMPLATE.getParent().resolve("prometheus").resolve("tracker-alerts.yaml");
    private static final Pattern METRIC = Pattern.compile("\\btracker_[a-z0-9_]+");
    private static final Pattern DURATION = Pattern.compile("([0-9]+(ms|s|m|h|d|w|y))+");
    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

    static List<String> problems(String yaml) throws Exception {
        List<String> out = new ArrayList<>();
        Set<String> exposed = Arrays.stream(TrackerMetric.values())
                .map(TrackerMetric::prometheusName)
                .collect(Collectors.toSet());
        JsonNode groups = new YAMLMapper().readTree(yaml).get("groups");
        if (groups == null || !groups.isArray() || groups.isEmpty()) {
            return List.of("no groups");
        }
        for (JsonNode g : groups) {
            if (!g.path("name").isTextual()) {
                out.add("a group without a name");
            }
            for (JsonNode r : g.path("rules")) {
                String alert = r.path("alert").asText("");
                if (!alert.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
                    out.add("bad alert name '" + alert + "'");
                }
                String expr = r.path("expr").asText("");
                if (expr.isBlank()
                        || depth(expr, '(', ')') != 0
                        || depth(expr, '[', ']') != 0
                        || depth(expr, '{', '}') != 0) {
                    out.add(alert + ": expression empty or unbalanced: " + expr);
                }
                Matcher m = METRIC.matcher(expr);
                while (m.find()) {
                    if (!exposed.contains(m.group())) {
                        out.add(alert + ": " + m.group() + " is not exposed by the tracker");
                    }
                }
                if (r.has("for") && !DURATION.matcher(r.get("for").asText()).matches()) {
                    out.add(alert + ": bad duration '" + r.get("for").asText() + "'");
                }
                if (!SEVERITIES.contains(r.path("labels").path("severity").asText())) {
                    out.add(alert + ": severity label missing or not one of " + SEVERITIES);
                }
                if (!r.path("annotations").path("summary").isTextual()) {
                    out.add(alert + ": no summary annotation");
                }
            }
        }
        return out;
    }

    private static int depth(String s, char open, char close) {
        int d = 0;
        for (char c : s.toCharArray()) {
            d += c == open ? 1 : c == close ? -1 : 0;
            if (d < 0) {
                return -1;
            }
        }
        return d;
    }

    @Test
    void theExampleRulesAreWellFormedAndNameOnlyExposedMetrics() throws Exception {
        String yaml = Files.readString(RULES);
        assertThat(problems(yaml)).isEmpty();
        JsonNode rules = new YAMLMapper().readTree(yaml).get("groups").get(0).get("rules");
        List<String> names = new ArrayList<>();
        rules.forEach(r -> names.add(r.get("alert").asText()));
        assertThat(names)
                .contains(
                        "TrackerUpgradeFailed",
                        "TrackerRunStalled",
                        "TrackerEtaSlipped",
                        "TrackerTaskErrorRateHigh",
                        "TrackerOutboxGrowing");
    }

    @Test
    void theCheckFindsARenamedMetricAnUnbalancedExpressionAndABadDuration() throws Exception {
        String yaml = Files.readString(RULES);
        assertThat(problems(yaml.replace("tracker_eta_slip_percent", "tracker_eta_slip")))
                .singleElement()
                .asString()
                .contains("tracker_eta_slip is not exposed");
        assertThat(problems(yaml.replace(
                        "increase(tracker_upgrades_failed_total[5m]) > 0",
                        "increase(tracker_upgrades_failed_total[5m] > 0")))
                .singleElement()
                .asString()
                .contains("unbalanced");
        assertThat(problems(yaml.replace("for: 3m", "for: 3 minutes")))
                .singleElement()
                .asString()
                .contains("bad duration");
    }
}
