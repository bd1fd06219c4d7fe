package dev.progresstracker.examples.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The demo's bar in a pseudo-terminal of a given width ({@code script} from util-linux, {@code stty cols}):
 * no drawn line is wider than the terminal, the bar is redrawn in place (many frames, none left on the
 * screen), milestones print above it and the program's last line is the last thing on the screen.
 */
class TerminalViewPtyIT {

    @Test
    void barFitsA60ColumnTerminalAndRedrawsInPlace() throws Exception {
        List<String> screen = runInPty(60);
        assertThat(frames.stream()
                        .filter(f -> f.contains("░") || f.contains("█"))
                        .count())
                .as("bar frames drawn")
                .isGreaterThan(20);
        for (String f : frames) {
            assertThat(f.codePointCount(0, f.length()))
                    .as("drawn line within 60 columns: " + f)
                    .isLessThan(60);
        }
        assertThat(screen)
                .as("what stays on the screen: no bar left behind, milestones, one final line")
                .containsExactly(
                        "Run pty-run — a header line",
                        "  → milestone 5",
                        "  → milestone 15",
                        "  → milestone 25",
                        "  → milestone 35",
                        "console: yes",
                        "final line");
    }

    @Test
    void barFollowsAWiderTerminal() throws Exception {
        runInPty(150);
        assertThat(frames.stream()
                        .filter(f -> f.contains("░"))
                        .mapToInt(String::length)
                        .max()
                        .orElse(0))
                .as("uses the width it has")
                .isBetween(61, 149);
    }

    private List<String> frames = new ArrayList<>();

    /** Runs {@link PtyDemo} in a pseudo-terminal {@code cols} wide; returns the screen's lines, keeps every frame drawn. */
    private List<String> runInPty(int cols) throws Exception {
        if (!new File("/usr/bin/script").canExecute()
                || !new File("/bin/stty").canExecute() && !new File("/usr/bin/stty").canExecute()) {
            Assumptions.abort("needs util-linux script and stty");
        }
        String java = System.getProperty("java.home") + "/bin/java";
        String cmd = "stty cols " + cols + " rows 30; exec '" + java + "' -cp '" + System.getProperty("java.class.path")
                + "' " + PtyDemo.class.getName();
        Process p = new ProcessBuilder("script", "-qfec", cmd, "/dev/null")
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return screen(out);
    }

    /** A terminal's screen after {@code out}: {@code \r} returns to column 0, {@code ESC[K} erases to the end of the line. */
    private List<String> screen(String out) {
        List<String> lines = new ArrayList<>();
        for (String physical : out.split("\n", -1)) {
            StringBuilder line = new StringBuilder();
            int cursor = 0;
            for (int i = 0; i < physical.length(); i++) {
                char c = physical.charAt(i);
                if (c == '\r') {
                    if (!line.isEmpty()) {
                        frames.add(line.toString());
                    }
                    cursor = 0;
                } else if (c == '\033' && physical.startsWith("\033[K", i)) {
                    line.setLength(cursor);
                    i += 2;
                } else if (cursor < line.length()) {
                    line.setCharAt(cursor++, c);
                } else {
                    line.append(c);
                    cursor++;
                }
            }
            frames.add(line.toString());
            if (!line.isEmpty()) {
                lines.add(line.toString());
            }
        }
        return lines;
    }
}
