package dev.progresstracker.websocket;

import static org.junit.jupiter.api.Assertions.fail;

import dev.progresstracker.core.event.ProgressEvent;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * One headless-Chromium page driven by {@code src/test/browser/dashboard.test.mjs} over its stdin and
 * stdout (one command, one answer line). Needs Debian {@code chromium} and {@code npm ci} in
 * {@code src/test/browser}; without them the test is skipped, unless {@code CI=true}, where it fails.
 */
final class BrowserPage implements AutoCloseable {

    static final Path BROWSER_DIR = Path.of("src/test/browser");

    private final Process node;
    private final BufferedReader out;
    private final PrintWriter in;

    private BrowserPage(String url, String log, String... driverOptions) throws IOException {
        List<String> command = new ArrayList<>(List.of("node", "dashboard.test.mjs", url));
        command.addAll(List.of(driverOptions));
        node = new ProcessBuilder(command)
                .directory(BROWSER_DIR.toFile())
                .redirectError(new File("target/" + log))
                .start();
        out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        in = new PrintWriter(node.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    /**
     * Opens {@code url}; the browser's stderr goes to {@code target/<log>}. {@code driverOptions} follow
     * the url on the driver's command line (see {@code dashboard.test.mjs}).
     */
    static BrowserPage open(String url, String log, String... driverOptions) throws Exception {
        requireTools();
        BrowserPage page = new BrowserPage(url, log, driverOptions);
        String ready = page.out.readLine();
        if (!"READY".equals(ready)) {
            page.close();
            fail("browser did not start: " + ready + " (see target/" + log + ")");
        }
        return page;
    }

    static void requireTools() throws Exception {
        String missing = null;
        if (!new File("/usr/bin/chromium").canExecute()) {
            missing = "/usr/bin/chromium (apt-get install chromium)";
        } else if (!Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core"))) {
            missing = BROWSER_DIR.resolve("node_modules/playwright-core") + " (npm ci in " + BROWSER_DIR + ")";
        } else {
            try {
                Process p = new ProcessBuilder("node", "--version")
                        .redirectErrorStream(true)
                        .start();
                p.getInputStream().readAllBytes();
                if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    missing = "node";
                }
            } catch (IOException e) {
                missing = "node (not on PATH)";
            }
        }
        if (missing != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("browser test cannot run in CI: missing " + missing);
            }
            Assumptions.abort("browser test skipped: missing " + missing);
        }
    }

    String command(String line) throws Exception {
        in.println(line);
        String answer = out.readLine();
        if (answer == null || answer.startsWith("FAIL")) {
            fail(line.replace('\t', ' ') + " -> " + answer);
        }
        return answer;
    }

    /** Waits (up to 20 s) until the first element matching {@code selector} has exactly {@code text}. */
    void waitText(String selector, String text) throws Exception {
        command("WAIT " + selector + "\t" + text);
    }

    /** Waits (up to 20 s) until the JS expression is truthy. */
    void waitTrue(String js) throws Exception {
        command("WAITJS " + js);
    }

    /** The JSON of the expression's value. */
    String eval(String js) throws Exception {
        return command("EVAL " + js).substring("VALUE ".length());
    }

    /** The colours painted at the given fractions of the element's width, on its middle row. */
    List<int[]> pixels(String selector, double... fractions) throws Exception {
        StringBuilder f = new StringBuilder();
        for (double d : fractions) {
            f.append(f.isEmpty() ? "" : ",").append(d);
        }
        String json = command("PIXELS " + selector + "\t" + f).substring("VALUE ".length());
        List<int[]> colours = new ArrayList<>();
        for (String rgb : json.replaceAll("^\\[\\[|]]$", "").split("],\\[")) {
            String[] c = rgb.split(",");
            colours.add(new int[] {Integer.parseInt(c[0]), Integer.parseInt(c[1]), Integer.parseInt(c[2])});
        }
        return colours;
    }

    /** Waits until the page has applied {@code runId}'s last event of {@code events} and shows its sequence. */
    /** The sequences the page holds for {@code runId}, as {@link #sequences} writes them. */
    String seenSequences(String runId) throws Exception {
        return eval("__dashboard.runs.get('" + runId + "').seqs");
    }

    /** {@code events}' sequences the way the page shows its own: {@code [1,2,3]}. */
    static String sequences(List<ProgressEvent> events) {
        return events.stream().map(e -> String.valueOf(e.sequence())).collect(Collectors.joining(",", "[", "]"));
    }

    void waitCaughtUp(String runId, List<ProgressEvent> events) throws Exception {
        long last = events.get(events.size() - 1).sequence();
        waitTrue("window.q = (s => (document.querySelector(s) || {}).textContent), " + "(__dashboard.runs.get('" + runId
                + "') || {}).lastSeq === " + last);
        waitText(".run-seq .value", String.valueOf(last));
    }

    void reload() throws Exception {
        command("RELOAD");
    }

    void go(String url) throws Exception {
        command("GOTO " + url);
    }

    void screenshot(Path file) throws Exception {
        command("SCREENSHOT " + file.toAbsolutePath());
    }

    @Override
    public void close() {
        try {
            in.println("QUIT");
            if (!node.waitFor(20, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            node.destroyForcibly();
        }
    }
}
