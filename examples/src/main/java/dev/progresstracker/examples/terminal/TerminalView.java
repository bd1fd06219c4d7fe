package dev.progresstracker.examples.terminal;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * Renders {@link ProgressLine}s: a live bar on a terminal that fits its width and redraws in place,
 * plain log lines otherwise (CI logs,
 * pipes), where a line is printed only when the phase or status changes or another 5 % is done.
 * Thread-safe: the screen refresh and callback threads may call it at once.
 */
public abstract class TerminalView implements AutoCloseable {

    /** A bar when the process has a console and {@code plain} is false, lines otherwise. */
    public static TerminalView create(PrintStream out, boolean plain) {
        return !plain && System.console() != null ? new Bar(out, new TerminalWidth()) : new Lines(out);
    }

    public abstract void render(ProgressLine line);

    /** Prints a milestone on its own line (above the bar on a terminal). */
    public abstract void note(String message);

    /** Takes the bar's line away (a final line follows); the view may draw again afterwards. */
    public abstract void erase();

    /** Erases the bar; nothing is drawn after this. */
    @Override
    public void close() {
        erase();
    }

    /**
     * One line redrawn in place ({@code \r}, then erase to the end of the line): never wider than
     * the terminal less one column (so the terminal never wraps it and leaves a piece behind), the
     * width read again at most once a second so a resized window is followed. Notes print above it.
     */
    static final class Bar extends TerminalView {
        private final PrintStream out;
        private final IntSupplier columns;
        private String shown;

        Bar(PrintStream out, IntSupplier columns) {
            this.out = out;
            this.columns = columns;
        }

        @Override
        public synchronized void note(String message) {
            out.print("\r\033[K" + message + System.lineSeparator());
            if (shown != null) {
                out.print(shown);
            }
            out.flush();
        }

        @Override
        public synchronized void render(ProgressLine line) {
            shown = fit(line, columns.getAsInt() - 1);
            out.print("\r" + shown + "\033[K");
            out.flush();
        }

        /** Erases the bar: what follows (a milestone, the watcher's last line) is the last word. */
        @Override
        public synchronized void erase() {
            if (shown != null) {
                out.print("\r\033[K");
                shown = null;
            }
            out.flush();
        }
    }

    /** {@code run [████░░░░]  45.2% phase · 7/14 tasks · …}, cut with an ellipsis to {@code width} characters. */
    static String fit(ProgressLine line, int width) {
        int cells = Math.max(10, Math.min(30, width / 4));
        int filled = (int) Math.round(line.percent() / 100 * cells);
        String text = line.runId() + " [" + "█".repeat(filled) + "░".repeat(cells - filled) + "] "
                + String.format(Locale.ROOT, "%5.1f%%", line.percent()) + "  " + line.describe();
        return text.length() <= width ? text : text.substring(0, Math.max(0, width - 1)) + "…";
    }

    /** Plain lines, throttled to changes that matter. */
    static final class Lines extends TerminalView {
        private final PrintStream out;
        private String lastKey;
        private double lastPercent = -100;

        Lines(PrintStream out) {
            this.out = out;
        }

        @Override
        public synchronized void note(String message) {
            out.println(message);
            out.flush();
        }

        @Override
        public synchronized void render(ProgressLine line) {
            String key = line.status() + "|" + line.phase();
            if (Objects.equals(key, lastKey) && line.percent() - lastPercent < 5 && line.percent() < 100) {
                return;
            }
            lastKey = key;
            lastPercent = line.percent();
            out.printf("%-11s %5.1f%%  %s%n", line.status(), line.percent(), line.describe());
            out.flush();
        }

        @Override
        public void erase() {
            out.flush();
        }
    }
}
