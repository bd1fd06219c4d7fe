package dev.progresstracker.analytics;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.progresstracker.core.RunUsage;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.UsageTotals;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One row of {@link RunExport}'s usage table: the {@link UsageTotals} of a task type, or of the run
 * ({@code RUN}), as computed by core's {@link RunUsage#of} (the tracker's own roll-up), written as CSV
 * cells or a JSON object.
 */
record UsageRow(String scope, UsageTotals totals) {

    static final List<String> HEADER = List.of(
            "scope",
            "tasks",
            "completedTasks",
            "apiCalls",
            "apiCallsFailed",
            "rateLimitHits",
            "rateLimitDelayMillis",
            "tokensIn",
            "tokensOut",
            "cost",
            "currency",
            "weightedQuality",
            "retries");

    /** A row per task type in the order its first task was added, then the run's. */
    static List<UsageRow> of(List<TaskView> tasks) {
        RunUsage usage = RunUsage.of(tasks);
        List<UsageRow> out = new ArrayList<>();
        usage.byType().forEach((type, totals) -> out.add(new UsageRow(type.name(), totals)));
        out.add(new UsageRow("RUN", usage.run()));
        return out;
    }

    private Double weightedQuality() {
        return totals.quality().isPresent() ? totals.quality().getAsDouble() : null;
    }

    List<Object> cells() {
        UsageTotals t = totals;
        return Arrays.asList(
                scope,
                t.tasks(),
                t.completedTasks(),
                t.apiCalls(),
                t.apiCallsFailed(),
                t.rateLimitHits(),
                t.rateLimitDelay().toMillis(),
                t.tokensIn(),
                t.tokensOut(),
                t.cost(),
                t.currency(),
                weightedQuality(),
                t.retries());
    }

    void write(JsonGenerator g) throws IOException {
        List<Object> cells = cells();
        g.writeStartObject();
        for (int i = 0; i < HEADER.size(); i++) {
            g.writeFieldName(HEADER.get(i));
            Object v = cells.get(i);
            if (v == null) {
                g.writeNull();
            } else if (v instanceof String s) {
                g.writeString(s);
            } else if (v instanceof Double d) {
                g.writeNumber(d);
            } else {
                g.writeNumber(((Number) v).longValue());
            }
        }
        g.writeEndObject();
    }
}
