package dev.progresstracker.dynamodb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.spi.StoreHealth;
import dev.progresstracker.dynamodb.DynamoDbStoreConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunHealthTest {

    private final DynamoDbStoreConfig config = DynamoDbStoreConfig.builder()
            .maxItemBytes(16_384)
            .maxRunStateBytes(100_000)
            .retryWarnAfter(Duration.ofSeconds(5))
            .build();
    private final WriteStats stats = new WriteStats();
    private final RunHealth health = new RunHealth("r", config, stats, 15_872, 0);

    @Test
    void retryingCarriesTheCauseAndWarnsOncePerEpisodeAfterRetryWarnAfter() {
        assertThat(health.get()).isEqualTo(StoreHealth.WRITING);
        health.retrying("ThrottlingException: rate exceeded");
        StoreHealth h = health.get();
        assertThat(h.state()).isEqualTo(StoreHealth.State.RETRYING);
        assertThat(h.problem()).contains("ThrottlingException");
        assertThat(h.since()).isNotNull();

        health.inFlightFor(Duration.ofSeconds(4), "events #1..#1");
        assertThat(stats.totals().retryWarnings()).isZero();
        health.inFlightFor(Duration.ofSeconds(6), "events #1..#1");
        health.inFlightFor(Duration.ofSeconds(9), "events #1..#1");
        assertThat(stats.totals().retryWarnings()).isEqualTo(1);

        health.committed(1000);
        assertThat(health.get().isWriting()).isTrue();
        health.inFlightFor(Duration.ofSeconds(6), "events #2..#2");
        assertThat(stats.totals().retryWarnings())
                .as("a new episode warns again")
                .isEqualTo(2);
        assertThat(health.get().problem()).contains("unanswered");
    }

    @Test
    void theStateLimitRefusesWhileOneMoreEventCouldPassItAndWarnsAt80PercentOfWhatTheRunMayUse() {
        // May use 100,000 - 15,872 = 84,128 bytes; 80 % of that is 67,302.
        health.committed(67_000);
        assertThat(stats.totals().stateSizeWarnings()).isZero();
        health.committed(67_400);
        health.committed(70_000);
        assertThat(stats.totals().stateSizeWarnings()).isEqualTo(1);
        assertThat(health.get().isWriting()).isTrue();

        health.backlog(3, 20_000, 14_200);
        StoreHealth h = health.get();
        assertThat(h.state()).isEqualTo(StoreHealth.State.REFUSING);
        assertThat(h.problem()).contains("run 'r'").contains("maxRunStateBytes 100000");
        assertThat(h.backlogEvents()).isEqualTo(3);
        // 70,000 + 14,200 queued: an event may still add up to 15,800 bytes.
        assertThat(health.wouldPassStateLimit(15_801)).isTrue();
        assertThat(health.wouldPassStateLimit(15_800)).isFalse();

        health.backlog(0, 0, 0);
        assertThat(health.get().isWriting())
                .as("the state limit clears once the backlog is written")
                .isTrue();
    }

    @Test
    void aRefusalStandsAndKeepsItsFirstCause() {
        health.refuse("first cause");
        health.refuse("second cause");
        health.committed(10);
        assertThat(health.get().state()).isEqualTo(StoreHealth.State.REFUSING);
        assertThat(health.get().problem()).isEqualTo("first cause");
        assertThat(health.isRefusing()).isTrue();
    }
}
