package dev.progresstracker.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.progresstracker.core.json.WireFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/eventbridge-kit.yaml passes cfn-lint (pinned in scripts/install-emulator.sh), its rules are
 * exactly those of docs/rules, and the agent's policy grants only what the tracker calls.
 */
class KitTemplateLintIT {

    @TempDir
    Path dir;

    private static JsonNode decoded(Path template) throws Exception {
        VenvTool.Result r = VenvTool.run(
                "python",
                "-c",
                "import json,sys\nfrom cfnlint.decode import decode\n"
                        + "t,m=decode(sys.argv[1])\nassert not m, m\nprint(json.dumps(t))",
                template.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        return WireFormat.reader().readTree(r.output());
    }

    @Test
    void cfnLintFindsNothing() throws Exception {
        VenvTool.Result r = VenvTool.run("cfn-lint", "--format", "parseable", KitTemplate.TEMPLATE.toString());
        assertThat(r.output()).as("cfn-lint findings").isBlank();
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void cfnLintWouldCatchABrokenTemplate() throws Exception {
        String broken = KitTemplate.read()
                .replace("Type: AWS::Events::Archive", "Type: AWS::Events::Archiv")
                .replace("      RetentionInDays: !Ref LogRetentionDays", "      RetentionInDays: 42");
        Path copy = dir.resolve("broken.yaml");
        Files.writeString(copy, broken);
        VenvTool.Result r = VenvTool.run("cfn-lint", "--format", "parseable", copy.toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).contains("AWS::Events::Archiv", "42");
    }

    @Test
    void theRulesAreTheDocsRules() throws Exception {
        JsonNode resources = decoded(KitTemplate.TEMPLATE).get("Resources");
        Map<String, String> ruleFiles = Map.of(
                "FailuresRule", "failures-of-cluster-prod-eu.json",
                "PhaseChangedRule", "phase-changed-to-data-plane.json",
                "ValidationFailedRule", "validation-task-failed.json",
                "CostOverBudgetRule", "task-cost-over-budget.json",
                "ProgressOverHalfRule", "task-progress-over-50-percent.json");
        List<String> rulesInTemplate = new ArrayList<>();
        resources.properties().forEach(e -> {
            if (e.getValue().get("Type").asText().equals("AWS::Events::Rule")) {
                rulesInTemplate.add(e.getKey());
            }
        });
        assertThat(rulesInTemplate).containsExactlyInAnyOrderElementsOf(ruleFiles.keySet());
        try (var files = Files.list(VenvTool.ROOT.resolve("docs").resolve("rules"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrderElementsOf(ruleFiles.values());
        }
        for (Map.Entry<String, String> e : ruleFiles.entrySet()) {
            JsonNode file = WireFormat.reader()
                    .readValue(VenvTool.ROOT
                            .resolve("docs")
                            .resolve("rules")
                            .resolve(e.getValue())
                            .toFile());
            JsonNode rule = resources.get(e.getKey()).get("Properties");
            assertThat(rule.get("EventPattern")).as(e.getKey()).isEqualTo(file);
            assertThat(rule.get("Targets")).as(e.getKey() + " has a target").hasSize(1);
        }
        assertThat(resources
                        .get("FailuresRule")
                        .get("Properties")
                        .get("Targets")
                        .get(0)
                        .get("Arn")
                        .toString())
                .contains("FailuresQueue");
        assertThat(resources
                        .get("ProgressOverHalfRule")
                        .get("Properties")
                        .get("Targets")
                        .get(0)
                        .get("Arn")
                        .toString())
                .contains("ProgressLogGroup");
        assertThat(resources
                        .get("PhaseChangedRule")
                        .get("Properties")
                        .get("Targets")
                        .get(0)
                        .get("Arn")
                        .toString())
                .contains("NotificationsTopic");
    }

    @Test
    void theAgentPolicyGrantsOnlyWhatTheTrackerCalls() throws Exception {
        JsonNode statements = decoded(KitTemplate.TEMPLATE)
                .get("Resources")
                .get("AgentPolicy")
                .get("Properties")
                .get("PolicyDocument")
                .get("Statement");
        assertThat(statements).hasSize(3);
        JsonNode put = statements.get(0);
        assertThat(put.get("Action").asText()).isEqualTo("events:PutEvents");
        assertThat(put.get("Resource").toString()).isEqualTo("{\"Fn::GetAtt\":[\"EventBus\",\"Arn\"]}");
        JsonNode metrics = statements.get(1);
        assertThat(metrics.get("Action").asText()).isEqualTo("cloudwatch:PutMetricData");
        assertThat(metrics.get("Condition")
                        .get("StringEquals")
                        .get("cloudwatch:namespace")
                        .toString())
                .isEqualTo("{\"Ref\":\"MetricsNamespace\"}");
        JsonNode fleet = statements.get(2).get("Fn::If");
        assertThat(fleet.get(0).asText()).isEqualTo("HasFleetTable");
        List<String> actions = new ArrayList<>();
        fleet.get(1).get("Action").forEach(a -> actions.add(a.asText()));
        assertThat(actions)
                .allMatch(a -> a.startsWith("dynamodb:"))
                .doesNotContain("dynamodb:*", "dynamodb:CreateTable", "dynamodb:DeleteTable", "dynamodb:Scan");
        assertThat(fleet.get(2).toString()).isEqualTo("{\"Ref\":\"AWS::NoValue\"}");
        assertThat(statements.toString()).doesNotContain("\"*\"]", "events:*", "cloudwatch:*");
    }
}
