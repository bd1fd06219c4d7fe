package dev.progresstracker.examples.terminal;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.Objects;

/**
 * Renders {@link ProgressLine}s: a live bar on a terminal, plain log lines otherwise (CI logs,
 * pipes), where a line is printed only when the phase or status changes or another 5 % is done.
 * Thread-safe: the screen refresh and callback threads may call it at once.
 */
public abstract class TerminalView implements AutoCloseable {

    /** A bar when the process has a console and {@code plain} is false, lines otherwise. */
    public static TerminalView create(PrintStream out, boolean plain) {
        return !plain && System.console() != null ? new Bar() : new Lines(out);
    }

    public abstract void render(ProgressLine line);

    /** Prints a milestone on its own line (above the bar on a terminal). */
    public abstract void note(String message);

    @Override
    public abstract void close();

    /** Interactive bar (me.tongfei:progressbar). */
    static final class Bar extends TerminalView {
        private ProgressBar bar;

        @Override
        public synchronized void note(String message) {
            // Clear the bar's line; it redraws itself on the next refresh.
            System.out.print("\r\033[2K" + message + System.lineSeparator());
            System.out.flush();
        }

        @Override
        public synchronized void render(ProgressLine line) {
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName(line.runId()).setInitialMax(1000)
                        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(200)
                        .hideEta().build();
            }
            bar.stepTo(Math.round(line.percent() * 10));
            bar.setExtraMessage(line.describe());
        }

        @Override
        public synchronized void close() {
            if (bar != null) {
                bar.close();
            }
        }
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
        public void close() {
            out.flush();
        }
    }
}
