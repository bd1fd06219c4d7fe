package dev.progresstracker.core.internal;

import dev.progresstracker.core.Alert;
import dev.progresstracker.core.EventLimits;
import dev.progresstracker.core.RunIds;
import dev.progresstracker.core.TaskSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The checks of a call's arguments that need no state (against {@link EventLimits}), and the
 * ordering of a batch of new tasks. Every message starts with the run and, when there is one, the
 * task ({@link #where}). Immutable; thread-safe.
 */
final class CallInputs {

    private final String runId;
    private final EventLimits limits;
    private final int maxMessageLength;

    CallInputs(String runId, EventLimits limits, int maxMessageLength) {
        this.runId = runId;
        this.limits = limits;
        this.maxMessageLength = maxMessageLength;
    }

    /**
     * Checks a run's plan id, cluster name and attributes against {@code limits} before a tracker
     * is built; {@link IllegalArgumentException} naming the run and the field.
     */
    static void checkRunInputs(
            String runId, String planId, String clusterName, Map<String, String> attributes, EventLimits limits) {
        try {
            if (planId != null) {
                InputChecks.requireName(planId, "planId", limits.maxNameLength(), "maxNameLength");
            }
            if (clusterName != null) {
                InputChecks.requireName(clusterName, "clusterName", limits.maxNameLength(), "maxNameLength");
            }
            InputChecks.requireAttributes(attributes, limits);
        } catch (InputChecks.Rejected r) {
            throw new IllegalArgumentException("run '" + runId + "': " + r.path() + " " + r.getMessage());
        }
    }

    TaskSpec spec(TaskSpec s) {
        Objects.requireNonNull(s, () -> "run '" + runId + "': a task spec must not be null");
        taskId(s.taskId(), "taskId");
        String task = s.taskId();
        if (s.name() == null || s.name().isBlank()) {
            throw new IllegalArgumentException(where(task) + "needs a non-blank name");
        }
        try {
            InputChecks.requireName(s.name(), "name", limits.maxNameLength(), "maxNameLength");
        } catch (InputChecks.Rejected r) {
            throw rejected(task, r);
        }
        if (s.type() == null) {
            throw new IllegalArgumentException(where(task) + "needs a type");
        }
        if (s.parentTaskId() != null) {
            taskId(s.parentTaskId(), "parentTaskId of task '" + task + "'");
            if (s.parentTaskId().equals(task)) {
                throw new IllegalArgumentException(where(task) + "cannot be its own parent");
            }
        }
        if (!Double.isFinite(s.weight()) || s.weight() <= 0) {
            throw new IllegalArgumentException(
                    where(task) + "has weight " + s.weight() + "; it must be a finite number above 0");
        }
        return s;
    }

    private void taskId(String taskId, String field) {
        try {
            RunIds.requireValidTaskId(taskId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("run '" + runId + "': " + field + ": " + e.getMessage(), e);
        }
    }

    /** A percent-like value within 0..100 (NaN refused), named {@code field}. */
    double percent(String taskId, String field, double value) {
        if (Double.isNaN(value) || value < 0 || value > 100) {
            throw new IllegalArgumentException(where(taskId) + field + " must be within 0..100, got " + value);
        }
        return value;
    }

    /** The checked copy of a progress update's details; null stays null (details unchanged). */
    Map<String, Object> details(String taskId, Map<String, ?> details) {
        try {
            return details == null ? null : InputChecks.copyDetails(details, limits);
        } catch (InputChecks.Rejected r) {
            throw rejected(taskId, r);
        }
    }

    /** A name-like value (phase, stage, model) within {@code maxNameLength}. */
    String name(String taskId, String value, String field) {
        try {
            return InputChecks.requireName(value, field, limits.maxNameLength(), "maxNameLength");
        } catch (InputChecks.Rejected r) {
            throw rejected(taskId, r);
        }
    }

    Alert alert(Alert a) {
        try {
            InputChecks.requireName(a.alertId(), "alertId", limits.maxNameLength(), "maxNameLength");
            InputChecks.requireName(a.rule(), "rule", limits.maxNameLength(), "maxNameLength");
        } catch (InputChecks.Rejected r) {
            throw new IllegalArgumentException(
                    "run '" + runId + "', alert '" + a.alertId() + "': " + r.path() + " " + r.getMessage());
        }
        String message = clip(a.message());
        return message.equals(a.message()) ? a : new Alert(a.alertId(), a.rule(), a.severity(), message, a.taskId());
    }

    String clip(String text) {
        return InputChecks.clipMessage(text, maxMessageLength);
    }

    /** "run 'r', task 't': " — the start of every message about bad input. */
    String where(String taskId) {
        return taskId == null ? "run '" + runId + "': " : "run '" + runId + "', task '" + taskId + "': ";
    }

    private IllegalArgumentException rejected(String taskId, InputChecks.Rejected r) {
        return new IllegalArgumentException(where(taskId) + r.path() + " " + r.getMessage());
    }

    /**
     * Orders a batch so parents come before children; rejects duplicates, unknown parents and
     * cycles, naming the task. {@code known} tells the tasks the run already has.
     */
    List<TaskSpec> parentsFirst(List<TaskSpec> specs, Predicate<String> known) {
        Map<String, TaskSpec> byId = new LinkedHashMap<>();
        for (TaskSpec s : specs) {
            if (known.test(s.taskId())) {
                throw new IllegalArgumentException("run '" + runId + "' already has a task '" + s.taskId() + "'");
            }
            if (byId.put(s.taskId(), s) != null) {
                throw new IllegalArgumentException(
                        "run '" + runId + "': task '" + s.taskId() + "' appears twice in the batch");
            }
        }
        for (TaskSpec s : specs) {
            String parent = s.parentTaskId();
            if (parent != null && !known.test(parent) && !byId.containsKey(parent)) {
                throw new IllegalArgumentException("task '" + s.taskId() + "' names parent '" + parent
                        + "', which run '" + runId + "' does not have");
            }
        }
        if (specs.size() == 1) {
            return specs;
        }
        List<TaskSpec> out = new ArrayList<>(specs.size());
        Set<String> placed = new HashSet<>();
        Map<String, List<TaskSpec>> children = new HashMap<>();
        Deque<TaskSpec> ready = new ArrayDeque<>();
        for (TaskSpec s : specs) {
            if (s.parentTaskId() == null || !byId.containsKey(s.parentTaskId())) {
                ready.add(s);
            } else {
                children.computeIfAbsent(s.parentTaskId(), k -> new ArrayList<>())
                        .add(s);
            }
        }
        while (!ready.isEmpty()) {
            TaskSpec s = ready.poll();
            out.add(s);
            placed.add(s.taskId());
            ready.addAll(children.getOrDefault(s.taskId(), List.of()));
        }
        if (out.size() != specs.size()) {
            List<String> cyclic = new ArrayList<>();
            for (TaskSpec s : specs) {
                if (!placed.contains(s.taskId())) {
                    cyclic.add(s.taskId());
                }
            }
            throw new IllegalArgumentException("run '" + runId + "': tasks " + cyclic + " form a parent cycle");
        }
        return out;
    }
}
