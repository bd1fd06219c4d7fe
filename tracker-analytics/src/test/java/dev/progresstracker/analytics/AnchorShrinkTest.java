package dev.progresstracker.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AnchorShrinkTest {

    private static final double BLEND = Math.log(100);
    private static final double ANCHOR = Math.log(200);

    @Test
    void withoutEvidenceTheEstimateIsTheAnchor() {
        AnchorShrink shrink = new AnchorShrink(0.5, 0.03);
        assertThat(shrink.combine(BLEND, ANCHOR)).isEqualTo(ANCHOR);
    }

    @Test
    void aBlendThatPredictedTheLongRunBetterKeepsItsWeightOnceScored() {
        AnchorShrink shrink = new AnchorShrink(0.5, 0.03);
        // 50 % was left; the blend said 100 s, the anchor 200 s; the run then went at 0.5 %/s: the blend was right.
        for (int a = 100; a <= 2000; a += 100) {
            shrink.score(a, 100, 0.5, 50, 100, 200);
        }
        assertThat(shrink.combine(BLEND, ANCHOR)).isCloseTo(BLEND, within(0.1 * (ANCHOR - BLEND)));
    }

    @Test
    void aBlendThatErredMoreOverTheLongRunIsShrunkTowardsTheAnchor() {
        AnchorShrink shrink = new AnchorShrink(0.5, 0.03);
        // The run went at 0.25 %/s: the anchor (200 s for 50 %) was right, the blend twice too fast.
        for (int a = 100; a <= 1000; a += 100) {
            shrink.score(a, 100, 0.25, 50, 100, 200);
        }
        assertThat(shrink.combine(BLEND, ANCHOR)).isCloseTo(ANCHOR, within(0.1 * (ANCHOR - BLEND)));
    }

    @Test
    void equalRecordsGiveTheAnchorFullWeight() {
        AnchorShrink shrink = new AnchorShrink(0.5, 0.03);
        for (int a = 100; a <= 1000; a += 100) {
            shrink.score(a, 100, 0.5, 50, 100, 100);
        }
        // Same error (both at the floor): the blend has not shown it is better, so it would only add noise.
        assertThat(shrink.combine(BLEND, ANCHOR)).isEqualTo(ANCHOR);
        assertThat(shrink.weight()).isZero();
    }

    @Test
    void aSlightlyBetterBlendGainsWeightOnlyWithEvidence() {
        AnchorShrink shrink = new AnchorShrink(0.5, 0.03);
        // The run went at 0.4 %/s: the blend (100 s for 50 %) was 20 % too fast, the anchor (200 s) 60 % too slow.
        shrink.score(100, 100, 0.4, 50, 100, 200);
        shrink.combine(BLEND, ANCHOR);
        double early = shrink.weight();
        for (int a = 200; a <= 3000; a += 100) {
            shrink.score(a, 100, 0.4, 50, 100, 200);
        }
        shrink.combine(BLEND, ANCHOR);
        assertThat(early).isGreaterThan(0).isLessThan(0.5);
        assertThat(shrink.weight()).isGreaterThan(early + 0.3);
    }
}
