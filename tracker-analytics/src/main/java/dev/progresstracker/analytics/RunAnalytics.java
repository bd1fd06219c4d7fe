package dev.progresstracker.analytics;

import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskUsage;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Folds a run's events into throughput, error and duration statistics: what {@link RunReport},
 * the insights and the alert rules read. Usable on a live tracker (it feeds one in ENHANCED and
 * COMPREHENSIVE mode) or on stored events ({@code events.forEach(analytics::observe)}).
 * Completions, failures and retries count leaf tasks only: a parent's status is derived from its
 * children, so counting it too would count the same work twice.
 * O(1) per event except bounded per-type duration samples; memory O(tasks + history). Throughput
 * per time bucket is kept by {@link ThroughputBuckets}.
 * Not thread-safe: the tracker calls it under its lock.
 */
public final class RunAnalytics {

    /** What is known about one task. */
    static final class TaskInfo {
        final String taskId;
        final String type;
        TaskStatus status = TaskStatus.NOT_STARTED;
        Instant attemptStart;
        Instant lastProgress;
        double percent;
        double items;
        boolean counted; // counted in completed (undone if it turns out to be a parent)
        TaskUsage usage = TaskUsage.NONE;
        List<String> alertIds; // AlertRules.idsInScope, built once

        TaskInfo(String taskId, String type) {
            this.taskId = taskId;
            this.type = type;
        }

        String stalledId() {
            return ids().get(ids().size() - 2);
        }

        String slowId() {
            return ids().get(ids().size() - 1);
        }

        private List<String> ids() {
            if (alertIds == null) {
                alertIds = AlertRules.idsInScope(taskId);
            }
            return alertIds;
        }
    }

    private final AnalyticsConfig config;
    private final Map<String, TaskInfo> tasks = new HashMap<>();
    private final Map<String, TaskInfo> running = new LinkedHashMap<>();
    private final Map<String, TypeDurations> durations = new LinkedHashMap<>();
    private final ThroughputBuckets buckets;
    private final Set<String> parents = new HashSet<>();
    private final UsageStats usage;
    private Instant started;
    private Instant finished;
    private long completed;
    private long failedAttempts;
    private long retries;
    private double itemsTotal;
    private Instant lastEventTime;

    public RunAnalytics(AnalyticsConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.buckets = new ThroughputBuckets(
                config.throughputBucket().toNanos(), config.historySize(), config.throughputWindow());
        this.usage = new UsageStats(config.qualityWindow());
    }

    public AnalyticsConfig config() {
        return config;
    }

    /** Folds one event in; alert and unknown events are ignored. */
    public void observe(ProgressEvent e) {
        Instant t = e.header().time();
        lastEventTime = t;
        EventType type = e.type();
        if (type == EventType.UPGRADE_STARTED && started == null) {
            started = t;
        } else if (type == EventType.UPGRADE_COMPLETED
                || type == EventType.UPGRADE_FAILED
                || type == EventType.UPGRADE_CANCELLED) {
            finished = t;
        } else if (type == EventType.UPGRADE_STARTED) {
            finished = null;
        }
        if (e instanceof TaskEvent te) {
            onTask(type, te.task(), t);
        }
    }

    /** Takes in a task restored from a store (after a restart), so durations and counts carry on. */
    public void restore(TaskView v) {
        TaskInfo info = tasks.computeIfAbsent(
                v.taskId(), id -> new TaskInfo(id, v.type().name()));
        info.status = v.status();
        info.percent = v.percent();
        info.items = items(v);
        usage.change(info.usage, v.usage());
        info.usage = v.usage();
        markParent(v.parentTaskId());
        if (v.status() == TaskStatus.COMPLETED) {
            if (!parents.contains(v.taskId())) {
                completed++;
                info.counted = true;
            }
            if (v.startedAt() != null && v.finishedAt() != null) {
                durations
                        .computeIfAbsent(info.type, k -> new TypeDurations())
                        .add(seconds(v.startedAt(), v.finishedAt()));
            }
        }
        if (!parents.contains(v.taskId())) {
            retries += Math.max(0, v.attempt() - 1);
        }
        if (v.status() == TaskStatus.IN_PROGRESS || v.status() == TaskStatus.PAUSED) {
            info.attemptStart = v.startedAt();
            running.put(v.taskId(), info);
        }
        if (v.startedAt() != null && (started == null || v.startedAt().isBefore(started))) {
            started = v.startedAt();
        }
    }

    /** Notes that {@code taskId} has children; a completion already counted for it is taken back. */
    private void markParent(String taskId) {
        if (taskId != null && parents.add(taskId)) {
            TaskInfo p = tasks.get(taskId);
            if (p != null && p.counted) {
                p.counted = false;
                completed--;
            }
        }
    }

    private void onTask(EventType type, TaskView v, Instant t) {
        TaskInfo info = tasks.get(v.taskId());
        if (info == null) {
            info = new TaskInfo(v.taskId(), v.type().name());
            tasks.put(v.taskId(), info);
        }
        markParent(v.parentTaskId());
        boolean leaf = !parents.contains(v.taskId());
        if (v.usage() != info.usage) {
            long hits = usage.change(info.usage, v.usage());
            if (hits > 0) {
                buckets.add(t, 0, 0, hits);
            }
            info.usage = v.usage();
        }
        switch (type) {
            case TASK_STARTED -> {
                if (v.attempt() > 1 && leaf) {
                    retries++;
                }
                info.attemptStart = t;
                info.lastProgress = t;
                running.put(v.taskId(), info);
                if (started == null) {
                    started = t;
                }
            }
            case TASK_RESUMED -> info.lastProgress = t;
            case TASK_PROGRESS, TASK_USAGE -> { // a conflated usage event may stand for progress before it
                if (v.percent() != info.percent) {
                    info.lastProgress = t;
                }
            }
            case TASK_COMPLETED -> {
                if (leaf) {
                    completed++;
                    info.counted = true;
                    buckets.add(t, 1, 0, 0);
                }
                Instant from = v.startedAt() != null ? v.startedAt() : info.attemptStart;
                if (from != null) {
                    durations
                            .computeIfAbsent(info.type, k -> new TypeDurations())
                            .add(seconds(from, t));
                }
                running.remove(v.taskId());
            }
            case TASK_FAILED -> {
                if (leaf) {
                    failedAttempts++;
                }
                running.remove(v.taskId());
            }
            case TASK_CANCELLED, TASK_SKIPPED -> running.remove(v.taskId());
            default -> {}
        }
        double items = items(v);
        if (items > info.items) {
            buckets.add(t, 0, items - info.items, 0);
            itemsTotal += items - info.items;
        }
        info.items = Math.max(info.items, items);
        info.percent = v.percent();
        info.status = v.status();
    }

    private double items(TaskView v) {
        Object o = v.details().get(config.itemsDetailKey());
        return o instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : 0;
    }

    // ------------------------------------------------------------------ reads

    /** Completed tasks per minute over the last {@code throughputWindow} buckets up to {@code now}. */
    public double tasksPerMinute(Instant now) {
        return buckets.windowRate(ThroughputBuckets.Series.TASKS, now, started);
    }

    /** Items per minute (from {@code details.<itemsDetailKey>}) over the same window. */
    public double itemsPerMinute(Instant now) {
        return buckets.windowRate(ThroughputBuckets.Series.ITEMS, now, started);
    }

    /** Rate-limit hits per minute ({@code recordRateLimit}) over the same window. */
    public double rateLimitsPerMinute(Instant now) {
        return buckets.windowRate(ThroughputBuckets.Series.RATE_LIMITS, now, started);
    }

    /** Usage folded from the tasks' {@code usage} blocks: cost, rate-limit delay, quality scores. */
    UsageStats usage() {
        return usage;
    }

    /** Completed-bucket throughput history, oldest first, from the run's start. */
    public List<RunReport.ThroughputPoint> history(Instant now) {
        return buckets.history(now, started);
    }

    /**
     * The best bucket's completed tasks per minute, each bucket's count over the part of it the run
     * covered, among buckets the run covered at least half of (a bucket a few seconds old would
     * turn one completion into a spike); never below {@link #averageTasksPerMinute}, which a run
     * shorter than a bucket and completions restored after a restart (in no bucket) would otherwise
     * exceed.
     */
    public double peakTasksPerMinute(Instant now) {
        double average = averageTasksPerMinute(now);
        if (started == null) {
            return average;
        }
        return Math.max(buckets.peakTasksPerMinute(started, end(now)), average);
    }

    public double averageTasksPerMinute(Instant now) {
        double minutes = started == null ? 0 : seconds(started, end(now)) / 60;
        return minutes <= 0 ? 0 : completed / minutes;
    }

    public double itemsTotal() {
        return itemsTotal;
    }

    public long completed() {
        return completed;
    }

    public long failedAttempts() {
        return failedAttempts;
    }

    public long retries() {
        return retries;
    }

    /** Failed attempts over finished attempts (completed + failed); 0 before any finished. */
    public double errorRate() {
        long n = completed + failedAttempts;
        return n == 0 ? 0 : failedAttempts / (double) n;
    }

    /** Completed tasks over tasks that finished one way or the other (completed or currently failed). */
    public double successRate() {
        long failedNow = tasks.values().stream()
                .filter(i -> i.status == TaskStatus.FAILED)
                .count();
        long n = completed + failedNow;
        return n == 0 ? 1 : completed / (double) n;
    }

    Map<String, TypeDurations> durations() {
        return durations;
    }

    /** Median completed duration of {@code type} in seconds, or NaN with fewer than {@code minSamplesPerType}. */
    public double medianSeconds(String type) {
        TypeDurations d = durations.get(type);
        return d == null || d.count < config.minSamplesPerType() ? Double.NaN : d.median();
    }

    Collection<TaskInfo> running() {
        return running.values();
    }

    /** What is known of a task, or null. */
    TaskInfo task(String taskId) {
        return tasks.get(taskId);
    }

    /** The task if it is running (or paused), else nothing. */
    List<TaskInfo> runningTask(String taskId) {
        TaskInfo t = running.get(taskId);
        return t == null ? List.of() : List.of(t);
    }

    public Instant started() {
        return started;
    }

    Instant end(Instant now) {
        return finished != null ? finished : now;
    }

    boolean finished() {
        return finished != null;
    }

    /** True once the run completed, failed or was cancelled. */
    public boolean finishedRun() {
        return finished != null;
    }

    static double seconds(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toNanos() / 1e9);
    }
}
