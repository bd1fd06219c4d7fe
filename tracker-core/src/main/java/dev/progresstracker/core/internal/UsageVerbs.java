package dev.progresstracker.core.internal;

import dev.progresstracker.core.CallOutcome;
import dev.progresstracker.core.RunUsage;
import dev.progresstracker.core.TaskUsage;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.UsagePricing;
import dev.progresstracker.core.UsageTotals;
import dev.progresstracker.core.event.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The usage verbs of {@code ProgressTracker}: API calls, rate limits, tokens (priced with the
 * configured {@link UsagePricing}) and quality per task, and their roll-ups. Each call replaces the
 * task's {@link TaskUsage} with new totals and emits {@code task.usage}, which takes the path of
 * {@code task.progress} (conflated analytics, conflatable in sinks) and so costs the caller what
 * a progress update costs. In {@code MINIMAL} mode nothing is emitted: the totals travel with the
 * task's next lifecycle event. Thread-safe through the run's lock.
 */
public final class UsageVerbs {

    private final RunContext run;
    private final UsagePricing pricing;
    /** The pricing's prices in a plain map: one lookup per priced call, no wrapper. */
    private final Map<String, UsagePricing.ModelPrice> prices;
    /** The model name most recently found valid (read and written racily: a String, at worst checked again). */
    private String lastValidModel;

    /** What one call adds to a task's counters (quality and currency replace when not null). */
    private record Delta(
            long calls,
            long failed,
            long latencyMillis,
            long hits,
            long delayMillis,
            long tokensIn,
            long tokensOut,
            double cost,
            String currency,
            Double quality) {}

    UsageVerbs(RunContext run) {
        this.run = run;
        this.pricing = run.config.pricing();
        this.prices = new HashMap<>(pricing.prices());
    }

    public CompletableFuture<Long> recordApiCall(String taskId, CallOutcome outcome, Duration latency) {
        if (outcome == null) {
            throw new NullPointerException(run.inputs.where(taskId) + "outcome must not be null");
        }
        long millis = nonNegative(taskId, "latency", latency);
        return record(taskId, new Delta(1, outcome == CallOutcome.FAILED ? 1 : 0, millis, 0, 0, 0, 0, 0, null, null));
    }

    public CompletableFuture<Long> recordRateLimit(String taskId, Duration delay) {
        long millis = nonNegative(taskId, "delay", delay);
        return record(taskId, new Delta(0, 0, 0, 1, millis, 0, 0, 0, null, null));
    }

    public CompletableFuture<Long> recordUsage(String taskId, long tokensIn, long tokensOut, String model) {
        if (tokensIn < 0 || tokensOut < 0) {
            throw new IllegalArgumentException(run.inputs.where(taskId) + "token counts must not be negative, got "
                    + tokensIn + " in, " + tokensOut + " out");
        }
        UsagePricing.ModelPrice price = model == null ? null : prices.get(model);
        if (price == null) {
            if (model != lastValidModel) {
                lastValidModel = run.inputs.name(taskId, model, "model");
            }
            if (!prices.isEmpty()) {
                throw new IllegalArgumentException(
                        run.inputs.where(taskId) + "model '" + model + "' has no price; priced " + "models: "
                                + pricing.prices().keySet() + " (TrackerConfig.pricing)");
            }
            return record(taskId, new Delta(0, 0, 0, 0, 0, tokensIn, tokensOut, 0, null, null));
        }
        return record(
                taskId,
                new Delta(
                        0, 0, 0, 0, 0, tokensIn, tokensOut, price.cost(tokensIn, tokensOut), pricing.currency(), null));
    }

    public CompletableFuture<Long> setQuality(String taskId, double score) {
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException(run.inputs.where(taskId) + "quality must be within 0..1, got " + score);
        }
        return record(taskId, new Delta(0, 0, 0, 0, 0, 0, 0, 0, null, score));
    }

    /** The run's usage over every task and per task type ({@link RunUsage#of}). */
    public RunUsage usage() {
        List<TaskView> views;
        run.lock.lock();
        try {
            views = viewsFrom(0, null);
        } finally {
            run.lock.unlock();
        }
        return RunUsage.of(views);
    }

    /** The usage of {@code taskId} and its descendants ({@link UsageTotals#of}). */
    public UsageTotals usage(String taskId) {
        List<TaskView> views;
        run.lock.lock();
        try {
            TaskNode top = run.requireTask(taskId);
            views = viewsFrom(top.index, top);
        } finally {
            run.lock.unlock();
        }
        return UsageTotals.of(views);
    }

    /** Views of the tasks from position {@code from} on that lie within {@code top} (every task when null). */
    private List<TaskView> viewsFrom(int from, TaskNode top) {
        List<TaskNode> tasks = run.model.tasksInOrder();
        List<TaskView> views = new ArrayList<>();
        for (int i = from; i < tasks.size(); i++) { // descendants come after their ancestors
            TaskNode n = tasks.get(i);
            if (top == null || isWithin(n, top)) {
                views.add(n.view());
            }
        }
        return views;
    }

    private static boolean isWithin(TaskNode n, TaskNode top) {
        for (TaskNode p = n; p != null && p.depth >= top.depth; p = p.parent) {
            if (p == top) {
                return true;
            }
        }
        return false;
    }

    private CompletableFuture<Long> record(String taskId, Delta d) {
        run.lock.lock();
        try {
            run.checkOpen();
            run.checkRunMutable("record usage of tasks of");
            TaskNode n = run.requireTask(taskId);
            run.storeGate.check();
            TaskUsage next;
            try {
                // From the node's counters, not from the previous snapshot (see TaskNode.setUsage).
                next = new TaskUsage(
                        n.apiCalls + d.calls,
                        n.apiCallsFailed + d.failed,
                        n.apiLatencyMillis + d.latencyMillis,
                        n.rateLimitHits + d.hits,
                        n.rateLimitDelayMillis + d.delayMillis,
                        Math.addExact(n.tokensIn, d.tokensIn),
                        Math.addExact(n.tokensOut, d.tokensOut),
                        n.cost + d.cost,
                        d.currency != null ? d.currency : n.currency,
                        d.quality != null ? d.quality : n.quality);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(run.inputs.where(taskId) + "token totals would overflow", e);
            }
            n.setUsage(next);
            run.model.rateLimitDelayMillis += d.delayMillis;
            if (!run.config.trackingMode().emitsProgress()) {
                return run.emitter.unchanged();
            }
            Instant now = run.clock.instant();
            return run.emitter.emitTask(EventType.TASK_USAGE, n, now);
        } finally {
            run.lock.unlock();
        }
    }

    private long nonNegative(String taskId, String field, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(
                    run.inputs.where(taskId) + field + " must be zero or positive, got " + d);
        }
        try {
            return d.toMillis();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(run.inputs.where(taskId) + field + " is too long: " + d, e);
        }
    }
}
