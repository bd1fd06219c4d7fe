package dev.progresstracker.examples;

import dev.progresstracker.analytics.RunComparison;
import dev.progresstracker.analytics.RunExport;
import dev.progresstracker.analytics.RunHistory;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.storage.FileProgressStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code report} command: a stored run's report, tasks, events and usage as text, JSON or CSV,
 * read from a file store read-only ({@link FileProgressStore#readOnly}: no lock, nothing written,
 * safe beside an agent that has the run open). {@code scripts/report --help}.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        version = "progress-tracker report 0.1",
        description =
                "Prints a stored run's report, tasks, events and usage (text, JSON or CSV); reads the store read-only.")
public final class Report implements Callable<Integer> {

    /** What to print. */
    enum Format {
        TEXT,
        JSON,
        CSV
    }

    /** The table a CSV holds. */
    enum Table {
        TASKS,
        EVENTS,
        USAGE
    }

    @Option(names = "--store", defaultValue = "data", description = "File store directory (default ${DEFAULT-VALUE}).")
    Path store;

    @Option(names = "--run", description = "Run id (default: the run updated last).")
    String runId;

    @Option(
            names = "--format",
            defaultValue = "text",
            converter = FormatConverter.class,
            description = "text, json or csv (default ${DEFAULT-VALUE}).")
    Format format;

    @Option(
            names = "--table",
            defaultValue = "tasks",
            converter = TableConverter.class,
            description = "With --format csv: tasks, events or usage (default ${DEFAULT-VALUE}).")
    Table table;

    @Option(
            names = "--compare",
            defaultValue = "5",
            description =
                    "With --format text: compare with this many earlier completed runs of the same plan (default ${DEFAULT-VALUE}; 0 = none).")
    int compare;

    private final PrintStream out;
    private final PrintStream err;

    Report(PrintStream out, PrintStream err) {
        this.out = Objects.requireNonNull(out);
        this.err = Objects.requireNonNull(err);
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the command; the exit code: 0 done, 2 bad arguments or no such store/run. */
    static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cl = new CommandLine(new Report(out, err));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setOut(new java.io.PrintWriter(out, true));
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        if (!Files.isDirectory(store)) {
            err.println("report: no store directory " + store.toAbsolutePath());
            return 2;
        }
        try (FileProgressStore s = FileProgressStore.readOnly(store)) {
            String id = runId != null ? runId : newest(s.listRuns());
            if (id == null) {
                err.println("report: the store " + store + " holds no runs");
                return 2;
            }
            RunExport x;
            try {
                x = RunExport.load(s, id);
            } catch (java.util.NoSuchElementException e) {
                err.println("report: " + e.getMessage());
                return 2;
            }
            out.print(
                    switch (format) {
                        case JSON -> x.json() + System.lineSeparator();
                        case CSV ->
                            switch (table) {
                                case TASKS -> x.tasksCsv();
                                case EVENTS -> x.eventsCsv();
                                case USAGE -> x.usageCsv();
                            };
                        case TEXT -> x.report().toText() + usageText(x) + comparisonText(s, x);
                    });
            out.flush();
        }
        return 0;
    }

    private static String usageText(RunExport x) {
        StringBuilder b = new StringBuilder("Usage:").append(System.lineSeparator());
        List<List<String>> rows =
                x.usageCsv().lines().map(l -> List.of(l.split(",", -1))).toList();
        for (List<String> r : rows.subList(1, rows.size())) {
            b.append(String.format(
                    Locale.ROOT,
                    "  %s: %s calls (%s failed), %s rate limits, %s/%s tokens, cost %s %s%s%n",
                    r.get(0),
                    r.get(3),
                    r.get(4),
                    r.get(5),
                    r.get(7),
                    r.get(8),
                    r.get(9),
                    r.get(10),
                    r.get(11).isEmpty() ? "" : ", quality " + r.get(11)));
        }
        return b.toString();
    }

    private String comparisonText(FileProgressStore s, RunExport x) {
        if (compare <= 0) {
            return "";
        }
        RunHistory earlier = RunHistory.latest(
                s, x.state().info().planId(), compare, x.state().runId());
        if (earlier.runs().isEmpty()) {
            return "No earlier completed runs"
                    + (x.state().info().planId() == null
                            ? ""
                            : " of plan " + x.state().info().planId()) + " to compare with." + System.lineSeparator();
        }
        StringBuilder b = new StringBuilder("Compared with earlier runs:").append(System.lineSeparator());
        for (RunComparison c : RunComparison.of(RunHistory.ofRun(x.state(), x.events()), earlier)) {
            b.append("  ").append(c.describe()).append(System.lineSeparator());
        }
        return b.toString();
    }

    private static String newest(List<RunInfo> runs) {
        return runs.stream()
                .max(Comparator.comparing((RunInfo r) -> r.updatedAt() == null ? Instant.MIN : r.updatedAt()))
                .map(RunInfo::runId)
                .orElse(null);
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String v) {
            return Format.valueOf(v.toUpperCase(Locale.ROOT));
        }
    }

    static final class TableConverter implements CommandLine.ITypeConverter<Table> {
        @Override
        public Table convert(String v) {
            return Table.valueOf(v.toUpperCase(Locale.ROOT));
        }
    }
}
