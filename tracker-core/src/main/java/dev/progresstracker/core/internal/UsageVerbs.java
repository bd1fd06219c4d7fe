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
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

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

    UsageVerbs(RunContext run) {
        this.run = run;
        this.pricing = run.config.pricing();
    }

    public CompletableFuture<Long> recordApiCall(String taskId, CallOutcome outcome, Duration latency) {
        Objects.requireNonNull(outcome, () -> run.inputs.where(taskId) + "outcome must not be null");
        long millis = nonNegative(taskId, "latency", latency);
        boolean failed = outcome == CallOutcome.FAILED;
        return record(taskId, u -> new TaskUsage(u.apiCalls() + 1, u.apiCallsFailed() + (failed ? 1 : 0),
                u.apiLatencyMillis() + millis, u.rateLimitHits(), u.rateLimitDelayMillis(), u.tokensIn(),
                u.tokensOut(), u.cost(), u.currency(), u.quality()), 0);
    }

    public CompletableFuture<Long> recordRateLimit(String taskId, Duration delay) {
        long millis = nonNegative(taskId, "delay", delay);
        return record(taskId, u -> new TaskUsage(u.apiCalls(), u.apiCallsFailed(), u.apiLatencyMillis(),
                u.rateLimitHits() + 1, u.rateLimitDelayMillis() + millis, u.tokensIn(), u.tokensOut(), u.cost(),
                u.currency(), u.quality()), millis);
    }

    public CompletableFuture<Long> recordUsage(String taskId, long tokensIn, long tokensOut, String model) {
        if (tokensIn < 0 || tokensOut < 0) {
            throw new IllegalArgumentException(run.inputs.where(taskId) + "token counts must not be negative, got "
                    + tokensIn + " in, " + tokensOut + " out");
        }
        String m = run.inputs.name(taskId, model, "model");
        UsagePricing.ModelPrice price = pricing.prices().get(m);
        if (price == null && !pricing.isEmpty()) {
            throw new IllegalArgumentException(run.inputs.where(taskId) + "model '" + m + "' has no price; priced models: "
                    + pricing.prices().keySet() + " (TrackerConfig.pricing)");
        }
        double cost = price == null ? 0 : price.cost(tokensIn, tokensOut);
        String currency = price == null ? null : pricing.currency();
        return record(taskId, u -> new TaskUsage(u.apiCalls(), u.apiCallsFailed(), u.apiLatencyMillis(),
                u.rateLimitHits(), u.rateLimitDelayMillis(), Math.addExact(u.tokensIn(), tokensIn),
                Math.addExact(u.tokensOut(), tokensOut), u.cost() + cost, currency != null ? currency : u.currency(),
                u.quality()), 0);
    }

    public CompletableFuture<Long> setQuality(String taskId, double score) {
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException(run.inputs.where(taskId) + "quality must be within 0..1, got " + score);
        }
        return record(taskId, u -> new TaskUsage(u.apiCalls(), u.apiCallsFailed(), u.apiLatencyMillis(),
                u.rateLimitHits(), u.rateLimitDelayMillis(), u.tokensIn(), u.tokensOut(), u.cost(), u.currency(),
                score), 0);
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

    private CompletableFuture<Long> record(String taskId, UnaryOperator<TaskUsage> change, long rateLimitMillis) {
        run.lock.lock();
        try {
            run.checkOpen();
            run.checkRunMutable("record usage of tasks of");
            TaskNode n = run.requireTask(taskId);
            run.storeGate.check();
            TaskUsage next;
            try {
                next = change.apply(n.usage);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(run.inputs.where(taskId) + "token totals would overflow", e);
            }
            n.usage = next;
            run.model.rateLimitDelayMillis += rateLimitMillis;
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
            throw new IllegalArgumentException(run.inputs.where(taskId) + field + " must be zero or positive, got " + d);
        }
        try {
            return d.toMillis();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(run.inputs.where(taskId) + field + " is too long: " + d, e);
        }
    }
}
