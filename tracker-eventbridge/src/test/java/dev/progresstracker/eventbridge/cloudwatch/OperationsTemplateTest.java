package dev.progresstracker.eventbridge.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.progresstracker.core.json.WireFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Names cannot drift: every metric an alarm or a dashboard widget of deploy/tracker-operations.yaml
 * names is one the tracker publishes ({@link TrackerMetric}), with dimensions it is published with
 * and the statistic the list documents; and the dashboard shows the whole list.
 */
class OperationsTemplateTest {

    static final Path TEMPLATE = Path.of(System.getenv().getOrDefault("TRACKER_TEST_ROOT", ".."))
            .resolve("deploy")
            .resolve("tracker-operations.yaml");
    private static final Pattern SEARCH_SCHEMA = Pattern.compile("\\{([^}]*)}\\s*MetricName=\"([^\"]+)\"");

    /** One reference to a metric: where, which name, which dimension names, which statistic. */
    record Use(String where, String name, Set<String> dimensions, String statistic) {}

    static List<Use> uses(String template) throws Exception {
        JsonNode resources = new YAMLMapper().readTree(template).get("Resources");
        List<Use> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> r : resources.properties()) {
            JsonNode p = r.getValue().get("Properties");
            switch (r.getValue().get("Type").asText()) {
                case "AWS::CloudWatch::Alarm" -> {
                    if (p.has("MetricName")) {
                        out.add(new Use(
                                r.getKey(),
                                p.get("MetricName").asText(),
                                names(p.get("Dimensions")),
                                p.get("Statistic").asText()));
                    }
                    for (JsonNode q : p.path("Metrics")) {
                        if (q.has("MetricStat")) {
                            JsonNode m = q.get("MetricStat").get("Metric");
                            out.add(new Use(
                                    r.getKey(),
                                    m.get("MetricName").asText(),
                                    names(m.get("Dimensions")),
                                    q.get("MetricStat").get("Stat").asText()));
                        }
                    }
                }
                case "AWS::CloudWatch::Dashboard" ->
                    out.addAll(widgetUses(p.get("DashboardBody").asText()));
                default -> {}
            }
        }
        return out;
    }

    private static Set<String> names(JsonNode dimensions) {
        Set<String> out = new TreeSet<>();
        dimensions.forEach(d -> out.add(d.get("Name").asText()));
        return out;
    }

    private static List<Use> widgetUses(String body) throws Exception {
        JsonNode dashboard = WireFormat.reader().readTree(body.replaceAll("\\$\\{[^}]+}", "x"));
        List<Use> out = new ArrayList<>();
        for (JsonNode w : dashboard.get("widgets")) {
            if (!w.get("type").asText().equals("metric")) {
                continue;
            }
            String where = "widget '" + w.get("properties").get("title").asText() + "'";
            String stat = w.get("properties").get("stat").asText();
            for (JsonNode line : w.get("properties").get("metrics")) {
                if (line.get(0).isObject()) {
                    Matcher m =
                            SEARCH_SCHEMA.matcher(line.get(0).get("expression").asText());
                    assertThat(m.find())
                            .as(where + ": a SEARCH with a schema and a MetricName")
                            .isTrue();
                    Set<String> dims = new TreeSet<>(List.of(m.group(1).split(",")));
                    dims.remove("x"); // the namespace
                    out.add(new Use(where, m.group(2), dims, stat));
                    continue;
                }
                Set<String> dims = new TreeSet<>();
                for (int i = 2; i + 1 < line.size() && line.get(i).isTextual(); i += 2) {
                    dims.add(line.get(i).asText());
                }
                out.add(new Use(where, line.get(1).asText(), dims, stat));
            }
        }
        return out;
    }

    /** What is wrong with the uses, in words; empty when every use is of a published series. */
    static List<String> problems(List<Use> uses) {
        List<String> out = new ArrayList<>();
        for (Use u : uses) {
            TrackerMetric m;
            try {
                m = TrackerMetric.byCloudWatchName(u.name());
            } catch (IllegalArgumentException e) {
                out.add(u.where() + ": " + e.getMessage());
                continue;
            }
            if (!m.dimensionSets(true).contains(u.dimensions())) {
                out.add(u.where() + ": " + u.name() + " is not published with dimensions " + u.dimensions()
                        + " but with " + m.dimensionSets(true));
            }
            if (!m.statistic().equals(u.statistic())) {
                out.add(u.where() + ": " + u.name() + " is read with " + u.statistic() + ", documented "
                        + m.statistic());
            }
        }
        return out;
    }

    @Test
    void everyMetricTheAlarmsAndTheDashboardNameIsPublished() throws Exception {
        List<Use> uses = uses(Files.readString(TEMPLATE));
        assertThat(problems(uses)).isEmpty();
        assertThat(uses)
                .extracting(Use::where)
                .contains(
                        "UpgradeFailedAlarm",
                        "RunStalledAlarm",
                        "EtaSlippedAlarm",
                        "TaskErrorRateAlarm",
                        "OutboxGrowingAlarm");
        Set<String> onTheDashboard = new TreeSet<>();
        uses.stream().filter(u -> u.where().startsWith("widget")).forEach(u -> onTheDashboard.add(u.name()));
        assertThat(onTheDashboard)
                .as("the dashboard shows the whole list")
                .containsExactlyInAnyOrderElementsOf(java.util.Arrays.stream(TrackerMetric.values())
                        .map(TrackerMetric::cloudWatchName)
                        .toList());
    }

    @Test
    void aRenamedMetricOrAWrongDimensionOrStatisticIsFound() throws Exception {
        String template = Files.readString(TEMPLATE);
        assertThat(problems(uses(template.replace("MetricName: UpgradesFailed", "MetricName: UpgradeFailed"))))
                .singleElement()
                .asString()
                .contains("UpgradeFailedAlarm", "no tracker metric is named 'UpgradeFailed'");
        assertThat(problems(uses(template.replace(
                        "\"PublishLagP99\", \"ClusterName\", \"${ClusterName}\"]",
                        "\"PublishLagP99\", \"ClusterName\", \"${ClusterName}\", \"PlanId\", \"${PlanId}\"]"))))
                .singleElement()
                .asString()
                .contains("PublishLagP99 is not published with dimensions [ClusterName, PlanId]");
        assertThat(problems(uses(template.replace("MetricName: EtaSlipPercent\n", "MetricName: EtaSlipPercent\n")
                        .replace("      Statistic: Maximum\n", "      Statistic: Average\n"))))
                .singleElement()
                .asString()
                .contains("EtaSlipPercent is read with Average");
    }
}
