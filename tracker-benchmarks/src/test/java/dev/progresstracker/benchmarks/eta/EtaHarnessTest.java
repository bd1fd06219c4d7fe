package dev.progresstracker.benchmarks.eta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the ETA harness on the shipped suite: a quality measure (no timing, deterministic). Asserts
 * issue #20's goals as written (docs/performance.md, section "ETA accuracy"). Fresh traces of the
 * same shapes ({@code EtaHarness --seeds}) are a check, not asserted: each trace's figure is noisy.
 */
class EtaHarnessTest {

    private static EtaReport report;

    @BeforeAll
    static void run() {
        report = EtaHarness.run(TraceCsv.suite(), EtaHarness.estimators());
    }

    @Test
    void adaptiveIsFortyPercentBelowLinearAndBelowEveryOtherEstimator() {
        double adaptive = report.mapeOfRemaining("adaptive");
        assertThat(adaptive).isLessThanOrEqualTo(0.60 * report.mapeOfRemaining("linear"));
        assertThat(adaptive).isLessThan(report.mapeOfRemaining("ema"));
        assertThat(adaptive).isLessThan(report.mapeOfRemaining("window"));
    }

    @Test
    void noCheckpointIsWorseThanLinearOnAverage() {
        for (double c : EtaHarness.CHECKPOINTS) {
            assertThat(report.mapeOfRemainingAt("adaptive", c))
                    .as("checkpoint %s", c)
                    .isLessThanOrEqualTo(report.mapeOfRemainingAt("linear", c));
        }
    }

    @Test
    void noTraceIsWorseThanLinearByMoreThanFivePercent() {
        for (String t : report.traces()) {
            assertThat(report.replay(t, "adaptive").mapeOfRemaining())
                    .as(t)
                    .isLessThanOrEqualTo(1.05 * report.replay(t, "linear").mapeOfRemaining());
        }
    }

    @Test
    void theBandCoversFourOutOfFiveIsNarrowerThanTheRemainingTimeAndItsConfidenceIsCalibrated() {
        assertThat(report.coverage("adaptive")).isGreaterThanOrEqualTo(0.80);
        assertThat(report.bandWidth("adaptive", 0.5)).isLessThanOrEqualTo(1.0);
        // Stated confidence within 10 points of the share inside the band: overall and per bucket of 10 points
        // (buckets with at least 10 checkpoints; smaller ones say little).
        assertThat(Math.abs(report.meanConfidence("adaptive") - report.coverage("adaptive")))
                .isLessThanOrEqualTo(0.10);
        assertThat(report.calibrationGap("adaptive", 10)).isLessThanOrEqualTo(0.10);
        var stated = report.replays().stream()
                .filter(r -> r.estimator().equals("adaptive"))
                .flatMap(r -> r.points().stream())
                .mapToDouble(p -> p.eta().confidence())
                .summaryStatistics();
        assertThat(stated.getMax() - stated.getMin())
                .as("the confidence follows the evidence")
                .isGreaterThan(0.1);
        assertThat(report.coverage("linear"))
                .isLessThan(0.05); // no band: the contrast that makes the figure mean something
    }

    @Test
    void priorsFromEarlierRunsHalveTheEarlyErrorAndASlowerRunIsNoticed() {
        RepeatedRuns.Result r = RepeatedRuns.run();
        double first = r.error(1, 10, true);
        for (int run = 2; run <= RepeatedRuns.RUNS; run++) {
            assertThat(r.error(run, 10, true)).as("run %d at 10 %%", run).isLessThanOrEqualTo(first / 2);
        }
        int slow = RepeatedRuns.SLOW_RUN;
        double history = r.historyRemaining(slow, 25);
        double estimate = r.point(r.withPriors(), slow, 25).eta().seconds();
        double truth = r.point(r.withPriors(), slow, 25).actualSeconds();
        assertThat(truth).as("the slow run is slower than its history").isGreaterThan(1.3 * history);
        assertThat(Math.abs(estimate - truth))
                .as("the estimate left the history by 25 %%")
                .isLessThan(Math.abs(estimate - history));
    }

    @Test
    void everyTraceReachesEveryCheckpoint() {
        assertThat(report.replays()).hasSize(TraceCsv.SUITE.size() * 4);
        assertThat(TraceCsv.SUITE).hasSizeGreaterThanOrEqualTo(15);
        assertThat(report.replays()).allSatisfy(r -> assertThat(r.points()).hasSize(EtaHarness.CHECKPOINTS.length));
    }

    @Test
    void shippedTracesAreWhatTheGeneratorMakes(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        List<Trace> generated = TraceGenerator.suite();
        for (Trace t : generated) {
            Path f = dir.resolve(t.name() + ".csv");
            TraceCsv.write(t, f, List.of(TraceGenerator.MODELS.get(t.name())));
            String shipped = new String(
                    TraceCsv.class
                            .getResourceAsStream(TraceCsv.SUITE_RESOURCE_DIR + t.name() + ".csv")
                            .readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(Files.readString(f)).as(t.name()).isEqualTo(shipped);
        }
        assertThat(generated).allSatisfy(t -> assertThat(TraceGenerator.MODELS).containsKey(t.name()));
        assertThat(UpgradeTraces.planGrows(0).rows())
                .filteredOn(r -> r.action() == TraceRow.Action.ADDED)
                .anyMatch(r -> r.time().isAfter(TraceSimulation.T0));
        assertThat(TraceGenerator.eksNested(0).rows())
                .anyMatch(r -> r.action() == TraceRow.Action.PAUSED)
                .anyMatch(r -> r.action() == TraceRow.Action.FAILED);
    }

    @Test
    void csvRoundTripsAndAcceptsEpochSeconds() {
        Trace t = TraceCsv.read("x", in("""
                timestamp,taskId,status,percent,type,weight,parent
                # a comment
                0,a,ADDED,,VALIDATION,2,
                0,*,RUN_STARTED,,,,
                1.5,a,STARTED,,,,
                3,a,PROGRESS,50.0,,,
                """));
        assertThat(t.rows()).hasSize(4);
        assertThat(t.rows().get(0).type()).isEqualTo("VALIDATION");
        assertThat(t.rows().get(0).weight()).isEqualTo(2.0);
        assertThat(t.rows().get(2).time().toEpochMilli()).isEqualTo(1500);
        assertThat(t.rows().get(3).percent()).isEqualTo(50.0);
    }

    @Test
    void malformedLinesNameTheLineAndField() {
        assertThatThrownBy(() -> TraceCsv.read("bad", in("timestamp,taskId,status\n0,a,JUMPED,,,,\n")))
                .hasMessage("trace 'bad' line 2: unknown status 'JUMPED'");
        assertThatThrownBy(() -> TraceCsv.read("bad", in("yesterday,a,STARTED,,,,\n")))
                .hasMessageContaining("line 1: timestamp 'yesterday'");
        assertThatThrownBy(() -> TraceCsv.read("bad", in("0,a,PROGRESS,150,,,\n")))
                .hasMessageContaining("PROGRESS needs a percent within 0..100");
        assertThatThrownBy(() -> TraceCsv.read("bad", in("0,a,ADDED,,X,heavy,\n")))
                .hasMessageContaining("weight 'heavy' is not a number");
        assertThatThrownBy(() -> TraceCsv.read("bad", in("5,a,STARTED,,,,\n1,a,COMPLETED,,,,\n")))
                .hasMessageContaining("goes back in time at row 2");
        assertThatThrownBy(() -> TraceCsv.suiteTrace("nope")).hasMessageContaining("no trace 'nope'");
    }

    private static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
