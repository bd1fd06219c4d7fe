package dev.progresstracker.analytics;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskUsage;
import dev.progresstracker.core.TaskView;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Usage summed over the leaf tasks of one scope (a task type, or {@code RUN}) for {@link RunExport}:
 * parents carry no usage of their own, and their completions would count work twice.
 */
final class UsageRow {

    final String scope;
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
    double qualitySum;
    int qualityCount;

    private UsageRow(String scope) {
        this.scope = scope;
    }

    /** A row per task type in first-seen order, then the run's. */
    static List<UsageRow> of(List<TaskView> all) {
        Set<String> parents = new HashSet<>();
        all.forEach(t -> {
            if (t.parentTaskId() != null) {
                parents.add(t.parentTaskId());
            }
        });
        Map<String, UsageRow> byType = new LinkedHashMap<>();
        UsageRow run = new UsageRow("RUN");
        for (TaskView t : all) {
            if (!parents.contains(t.taskId())) {
                byType.computeIfAbsent(t.type().name(), UsageRow::new).add(t);
                run.add(t);
            }
        }
        List<UsageRow> out = new ArrayList<>(byType.values());
        out.add(run);
        return out;
    }

    private void add(TaskView t) {
        TaskUsage u = t.usage();
        tasks++;
        completed += t.status() == TaskStatus.COMPLETED ? 1 : 0;
        calls += u.apiCalls();
        failed += u.apiCallsFailed();
        hits += u.rateLimitHits();
        delayMillis += u.rateLimitDelayMillis();
        tokensIn += u.tokensIn();
        tokensOut += u.tokensOut();
        cost += u.cost();
        currency = u.currency() != null ? u.currency() : currency;
        if (u.quality() != null) {
            qualitySum += u.quality();
            qualityCount++;
        }
    }

    Double meanQuality() {
        return qualityCount == 0 ? null : qualitySum / qualityCount;
    }

    List<Object> cells() {
        return Arrays.asList(scope, tasks, completed, calls, failed, hits, delayMillis, tokensIn, tokensOut, cost, currency,
                meanQuality());
    }

    void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("scope", scope);
        g.writeNumberField("tasks", tasks);
        g.writeNumberField("completedTasks", completed);
        g.writeNumberField("apiCalls", calls);
        g.writeNumberField("apiCallsFailed", failed);
        g.writeNumberField("rateLimitHits", hits);
        g.writeNumberField("rateLimitDelayMillis", delayMillis);
        g.writeNumberField("tokensIn", tokensIn);
        g.writeNumberField("tokensOut", tokensOut);
        g.writeNumberField("cost", cost);
        g.writeStringField("currency", currency);
        if (meanQuality() != null) {
            g.writeNumberField("meanQuality", meanQuality());
        } else {
            g.writeNullField("meanQuality");
        }
        g.writeEndObject();
    }
}
