package dev.progresstracker.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.progresstracker.test.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BatchSizeAdvisorTest {

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

    private BatchSizeAdvisor advisor(BatchAdvisorConfig.Builder b) {
        return new BatchSizeAdvisor(b.build(), clock);
    }

    @ParameterizedTest
    @CsvSource({
        "1.0,1.3",
        "0.8001,1.3",
        "0.8,1.1",
        "0.6001,1.1",
        "0.6,1.0",
        "0.4001,1.0",
        "0.4,0.8",
        "0.2001,0.8",
        "0.2,0.6",
        "0,0.6"
    })
    void factorAtEachThresholdEdge(double score, double factor) {
        assertThat(BatchSizeAdvisor.factorFor(score)).isEqualTo(factor);
    }

    /** successWeight 1 makes the score exactly the success rate, so each edge can be hit. */
    @ParameterizedTest
    @CsvSource({"10,10,13", "10,8,11", "10,7,11", "10,6,10", "10,5,10", "10,4,8", "10,3,8", "10,2,6", "10,1,6", "10,0,6"
    })
    void recommendationAtEachEdge(int size, int successes, int expected) {
        BatchSizeAdvisor a =
                advisor(BatchAdvisorConfig.builder().successWeight(1).initialBatchSize(10));
        a.record(size, Duration.ofSeconds(10), successes, size - successes);
        assertThat(a.performanceScore()).isCloseTo(successes / 10.0, within(1e-9));
        assertThat(a.recommendBatchSize()).isEqualTo(expected);
    }

    @Test
    void smallSizesStillMoveByAtLeastOne() {
        BatchSizeAdvisor a = advisor(BatchAdvisorConfig.builder().successWeight(1));
        a.record(2, Duration.ofSeconds(5), 2, 0); // ×1.3 of 2 rounds to 3 anyway
        assertThat(a.recommendBatchSize()).isEqualTo(3);
        BatchSizeAdvisor b =
                advisor(BatchAdvisorConfig.builder().successWeight(1).minBatchSize(1));
        b.record(3, Duration.ofSeconds(5), 2, 1); // 0.67 → ×1.1 = 3.3 → at least 4
        assertThat(b.recommendBatchSize()).isEqualTo(4);
    }

    @Test
    void clampedToMaxAndMin() {
        BatchSizeAdvisor up = advisor(
                BatchAdvisorConfig.builder().successWeight(1).maxBatchSize(12).initialBatchSize(10));
        up.record(10, Duration.ofSeconds(10), 10, 0);
        assertThat(up.recommendation()).satisfies(r -> {
            assertThat(r.recommendedSize()).isEqualTo(12);
            assertThat(r.reasons()).anyMatch(s -> s.contains("clamped from 13 to maxBatchSize 12"));
        });
        BatchSizeAdvisor down = advisor(
                BatchAdvisorConfig.builder().successWeight(1).minBatchSize(8).initialBatchSize(10));
        down.record(10, Duration.ofSeconds(10), 0, 10);
        assertThat(down.recommendation()).satisfies(r -> {
            assertThat(r.recommendedSize()).isEqualTo(8);
            assertThat(r.reasons()).anyMatch(s -> s.contains("clamped from 6 to minBatchSize 8"));
        });
    }

    @Test
    void throughputShareOfTheScore() {
        BatchSizeAdvisor a =
                advisor(BatchAdvisorConfig.builder().successWeight(0.5).window(1));
        a.record(10, Duration.ofSeconds(10), 10, 0); // 1 item/s, the best so far
        a.record(10, Duration.ofSeconds(40), 10, 0); // 0.25 item/s
        assertThat(a.performanceScore()).isCloseTo(0.5 + 0.5 * 0.25, within(1e-9));
        assertThat(a.recommendation().factor()).isEqualTo(1.1);
    }

    @Test
    void shouldScaleNowRespectsTheCooldown() {
        BatchSizeAdvisor a =
                advisor(BatchAdvisorConfig.builder().successWeight(1).cooldown(Duration.ofMinutes(5)));
        assertThat(a.shouldScaleNow()).isFalse(); // nothing recorded
        a.record(5, Duration.ofSeconds(30), 5, 0);
        assertThat(a.shouldScaleNow()).isTrue(); // never changed: no cooldown to wait for
        clock.advance(Duration.ofSeconds(60));
        a.record(7, Duration.ofSeconds(60), 7, 0); // the caller scaled to 7; that batch started 60 s ago
        assertThat(a.recommendBatchSize()).isEqualTo(9);
        assertThat(a.shouldScaleNow()).isFalse();
        assertThat(a.recommendation().reasons()).anyMatch(s -> s.startsWith("in cooldown"));
        clock.advance(Duration.ofMinutes(4).minusSeconds(1));
        assertThat(a.shouldScaleNow()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(a.shouldScaleNow()).isTrue();
    }

    @Test
    void noScaleWhenTheRecommendationIsTheCurrentSize() {
        BatchSizeAdvisor a = advisor(BatchAdvisorConfig.builder().successWeight(1));
        a.record(10, Duration.ofSeconds(10), 5, 5); // 0.5 → ×1.0
        assertThat(a.shouldScaleNow()).isFalse();
    }

    @Test
    void predictsFromAFixedPlusPerItemFit() {
        BatchSizeAdvisor a = advisor(BatchAdvisorConfig.builder());
        assertThat(a.predictProcessingTime(10)).isEmpty();
        a.record(5, Duration.ofSeconds(30), 5, 0); // 10 s + 4 s/item
        assertThat(a.predictProcessingTime(10)).contains(Duration.ofSeconds(60)); // one size: per item only
        a.record(10, Duration.ofSeconds(50), 10, 0);
        a.record(20, Duration.ofSeconds(90), 20, 0);
        assertThat(a.predictProcessingTime(40).orElseThrow().toMillis()).isEqualTo(170_000);
        assertThatThrownBy(() -> a.predictProcessingTime(0)).hasMessageContaining("items must be at least 1");
    }

    @Test
    void efficiencyByBatchSize() {
        BatchSizeAdvisor a = advisor(BatchAdvisorConfig.builder());
        a.record(5, Duration.ofSeconds(10), 5, 0);
        a.record(5, Duration.ofSeconds(10), 4, 1);
        a.record(10, Duration.ofSeconds(10), 10, 0);
        assertThat(a.efficiencyByBatchSize()).containsOnlyKeys(5, 10);
        assertThat(a.efficiencyByBatchSize().get(5)).isEqualTo(new BatchSizeAdvisor.Efficiency(2, 0.5, 0.9));
        assertThat(a.efficiencyByBatchSize().get(10).itemsPerSecond()).isEqualTo(1.0);
        assertThat(a.recommendation().reasons()).anyMatch(s -> s.startsWith("most efficient size so far: 10"));
    }

    @Test
    void badInputIsRejectedAndChangesNothing() {
        BatchSizeAdvisor a = advisor(BatchAdvisorConfig.builder());
        a.record(5, Duration.ofSeconds(10), 5, 0);
        assertThatThrownBy(() -> a.record(0, Duration.ofSeconds(1), 0, 0))
                .hasMessageContaining("batch size must be at least 1");
        assertThatThrownBy(() -> a.record(5, Duration.ZERO, 5, 0))
                .hasMessageContaining("batch duration must be positive");
        assertThatThrownBy(() -> a.record(5, Duration.ofSeconds(1), 4, 2))
                .hasMessageContaining("add up to at most the batch size 5");
        assertThat(a.efficiencyByBatchSize().get(5).batches()).isEqualTo(1);
        assertThat(a.currentBatchSize()).isEqualTo(5);
    }

    @Test
    void configValidationNamesTheField() {
        assertThatThrownBy(() -> BatchAdvisorConfig.builder().minBatchSize(0).build())
                .hasMessageContaining("minBatchSize");
        assertThatThrownBy(() -> BatchAdvisorConfig.builder().maxBatchSize(0).build())
                .hasMessageContaining("maxBatchSize");
        assertThatThrownBy(() ->
                        BatchAdvisorConfig.builder().initialBatchSize(1000).build())
                .hasMessageContaining("initialBatchSize");
        assertThatThrownBy(() -> BatchAdvisorConfig.builder().successWeight(1.5).build())
                .hasMessageContaining("successWeight");
        assertThatThrownBy(() -> BatchAdvisorConfig.builder()
                        .cooldown(Duration.ofSeconds(-1))
                        .build())
                .hasMessageContaining("cooldown");
        assertThatThrownBy(() -> BatchAdvisorConfig.builder().window(0).build()).hasMessageContaining("window");
        assertThatThrownBy(() -> BatchAdvisorConfig.builder().historySize(2).build())
                .hasMessageContaining("historySize");
    }
}
