package dev.progresstracker.examples.terminal;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The controlling terminal's width in columns: {@code stty size} on {@code /dev/tty}, read at most
 * once a second (a resize is followed); else {@code $COLUMNS}; else 80. Thread-safe.
 */
final class TerminalWidth implements IntSupplier {

    private static final long REREAD_NANOS = TimeUnit.SECONDS.toNanos(1);

    private int columns = -1;
    private long readAt;

    @Override
    public synchronized int getAsInt() {
        if (columns < 0 || System.nanoTime() - readAt > REREAD_NANOS) {
            columns = read();
            readAt = System.nanoTime();
        }
        return columns;
    }

    private static int read() {
        try {
            Process p = new ProcessBuilder("stty", "size")
                    .redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String[] rowsCols = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                    .trim()
                    .split("\\s+");
            if (p.waitFor(2, TimeUnit.SECONDS)
                    && p.exitValue() == 0
                    && rowsCols.length == 2
                    && Integer.parseInt(rowsCols[1]) > 0) {
                return Integer.parseInt(rowsCols[1]);
            }
        } catch (Exception e) {
            // no stty or no terminal: fall back below
        }
        try {
            int c = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", ""));
            return c > 0 ? c : 80;
        } catch (NumberFormatException e) {
            return 80;
        }
    }
}
