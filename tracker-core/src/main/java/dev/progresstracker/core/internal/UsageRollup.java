package dev.progresstracker.core.internal;

import dev.progresstracker.core.RunUsage;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TaskUsage;
import dev.progresstracker.core.UsageTotals;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Sums task usage into {@link UsageTotals}: at read time, O(tasks), so that recording stays O(1).
 * Under the run's lock.
 */
final class UsageRollup {

    private UsageRollup() {
    }

    /** A running sum. */
    private static final class Sum {
        int tasks;
        int completed;
        long calls;
        long failed;
        long hits;
        long delayMillis;
        long tokensIn;
        long tokensOut;
        double cost;
        String currency;
        long retries;
        double qualityWeight;
        double qualityWeighted;

        void add(TaskNode n) {
            TaskUsage u = n.usage;
            tasks++;
            if (n.status == TaskStatus.COMPLETED && !n.hasChildren()) {
                completed++;
            }
            calls += u.apiCalls();
            failed += u.apiCallsFailed();
            hits += u.rateLimitHits();
            delayMillis += u.rateLimitDelayMillis();
            tokensIn += u.tokensIn();
            tokensOut += u.tokensOut();
            cost += u.cost();
            if (u.currency() != null) {
                currency = u.currency();
            }
            retries += Math.max(0, n.attempt - 1);
            if (u.quality() != null) {
                qualityWeight += n.weight;
                qualityWeighted += n.weight * u.quality();
            }
        }

        UsageTotals totals() {
            OptionalDouble quality = qualityWeight > 0
                    ? OptionalDouble.of(Math.min(1.0, qualityWeighted / qualityWeight)) : OptionalDouble.empty();
            return new UsageTotals(tasks, completed, calls, failed, hits, Duration.ofMillis(delayMillis), tokensIn,
                    tokensOut, cost, currency, retries, quality);
        }
    }

    static RunUsage run(List<TaskNode> tasks) {
        Sum all = new Sum();
        Map<TaskType, Sum> byType = new LinkedHashMap<>();
        for (TaskNode n : tasks) {
            all.add(n);
            byType.computeIfAbsent(n.type, t -> new Sum()).add(n);
        }
        Map<TaskType, UsageTotals> totals = new LinkedHashMap<>();
        byType.forEach((t, s) -> totals.put(t, s.totals()));
        return new RunUsage(all.totals(), totals);
    }

    /** {@code top} and every task below it. */
    static UsageTotals subtree(TaskNode top, List<TaskNode> tasks) {
        Sum sum = new Sum();
        for (int i = top.index; i < tasks.size(); i++) { // descendants come after their ancestors
            TaskNode n = tasks.get(i);
            if (isWithin(n, top)) {
                sum.add(n);
            }
        }
        return sum.totals();
    }

    private static boolean isWithin(TaskNode n, TaskNode top) {
        for (TaskNode p = n; p != null && p.depth >= top.depth; p = p.parent) {
            if (p == top) {
                return true;
            }
        }
        return false;
    }
}
