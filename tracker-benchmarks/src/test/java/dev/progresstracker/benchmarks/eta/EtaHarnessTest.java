package dev.progresstracker.benchmarks.eta;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs the ETA harness on the shipped suite: a quality measure (no timing, deterministic). The
 * issue's targets are asserted as they stand: adaptive MAPE at least 25 % below linear's and EMA's,
 * band coverage ≥ 80 % (see docs/performance.md, section "analytics").
 */
class EtaHarnessTest {

    private static EtaHarness.Report report;

    @BeforeAll
    static void run() {
        report = EtaHarness.run(TraceCsv.suite(), EtaHarness.estimators());
    }

    @Test
    void adaptiveBeatsLinearAndEmaOnTheSuite() {
        double adaptive = report.mape("adaptive");
        assertThat(adaptive).isLessThanOrEqualTo(0.75 * report.mape("linear"));
        assertThat(adaptive).isLessThanOrEqualTo(0.75 * report.mape("ema"));
        assertThat(adaptive).isLessThanOrEqualTo(0.75 * report.mape("window"));
    }

    @Test
    void adaptiveBandCoversMostTrueFinishes() {
        assertThat(report.coverage("adaptive")).isGreaterThanOrEqualTo(0.80);
        // Coverage must not come from absurdly wide bands: the EMA's ±2σ band is the yardstick.
        assertThat(report.meanBandWidth("adaptive")).isLessThan(5 * report.meanBandWidth("ema"));
        assertThat(report.coverage("linear")).isZero(); // no band: the contrast that makes the figure mean something
    }

    @Test
    void everyTraceReachesEveryCheckpoint() {
        assertThat(report.replays()).hasSize(TraceCsv.SUITE.size() * 4);
        assertThat(report.replays()).allSatisfy(r -> assertThat(r.points()).hasSize(EtaHarness.CHECKPOINTS.length));
    }

    @Test
    void shippedTracesAreWhatTheGeneratorMakes(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        List<Trace> generated = TraceGenerator.suite();
        for (Trace t : generated) {
            Path f = dir.resolve(t.name() + ".csv");
            TraceCsv.write(t, f, List.of(TraceGenerator.MODELS.get(t.name())));
            String shipped = new String(TraceCsv.class.getResourceAsStream(TraceCsv.SUITE_RESOURCE_DIR + t.name() + ".csv")
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertThat(Files.readString(f)).as(t.name()).isEqualTo(shipped);
        }
        assertThat(TraceGenerator.eksNested().rows()).anyMatch(r -> r.action() == TraceRow.Action.PAUSED)
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
