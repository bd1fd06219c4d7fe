package dev.progresstracker.benchmarks.eta;

import java.util.List;
import java.util.Objects;

/** A named progress trace: rows in time order, starting with the tasks' ADDED rows. */
public record Trace(String name, List<TraceRow> rows) {
    public Trace {
        Objects.requireNonNull(name, "name");
        rows = List.copyOf(rows);
        for (int i = 1; i < rows.size(); i++) {
            if (rows.get(i).time().isBefore(rows.get(i - 1).time())) {
                throw new IllegalArgumentException("trace '" + name + "' goes back in time at row " + (i + 1));
            }
        }
    }
}
