package dev.progresstracker.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/tracker-operations.yaml (dashboard and alarms) passes cfn-lint. Only linted: moto's
 * CloudFormation does not deploy CloudWatch dashboards or alarms, and ministack is not used for
 * CloudFormation; the metric names in it are checked by {@code OperationsTemplateTest}.
 */
class OperationsTemplateLintIT {

    static final Path TEMPLATE = VenvTool.ROOT.resolve("deploy").resolve("tracker-operations.yaml");

    @TempDir
    Path dir;

    @Test
    void cfnLintFindsNothing() throws Exception {
        VenvTool.Result r = VenvTool.run("cfn-lint", "--format", "parseable", TEMPLATE.toString());
        assertThat(r.output()).as("cfn-lint findings").isBlank();
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void cfnLintWouldCatchABrokenAlarm() throws Exception {
        String broken = Files.readString(TEMPLATE)
                .replace("ComparisonOperator: GreaterThanOrEqualToThreshold", "ComparisonOperator: AtLeast")
                .replace("      Statistic: Sum\n", "      Statistic: Total\n");
        Path copy = dir.resolve("broken.yaml");
        Files.writeString(copy, broken);
        VenvTool.Result r = VenvTool.run("cfn-lint", "--format", "parseable", copy.toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).contains("AtLeast", "Total");
    }
}
