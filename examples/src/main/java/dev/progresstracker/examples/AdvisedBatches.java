package dev.progresstracker.examples;

import dev.progresstracker.analytics.BatchSizeAdvisor;
import java.time.Duration;

/** Node-drain batch sizes chosen by the {@link BatchSizeAdvisor}: grows while batches go well, shrinks on failures. */
final class AdvisedBatches implements SimulatedUpgrade.BatchPlanner {

    private final BatchSizeAdvisor advisor;
    private int size;

    AdvisedBatches(BatchSizeAdvisor advisor) {
        this.advisor = advisor;
        this.size = advisor.currentBatchSize();
    }

    @Override
    public synchronized int nextBatchSize() {
        BatchSizeAdvisor.Recommendation r = advisor.recommendation();
        if (r.scaleNow()) {
            size = r.recommendedSize();
        }
        return size;
    }

    @Override
    public synchronized void record(int batchSize, long durationMillis, int succeeded, int failed) {
        advisor.record(batchSize, Duration.ofMillis(Math.max(1, durationMillis)), succeeded, failed);
    }
}
