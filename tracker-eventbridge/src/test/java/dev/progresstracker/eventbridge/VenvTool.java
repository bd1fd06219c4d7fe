package dev.progresstracker.eventbridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opentest4j.TestAbortedException;

/**
 * A tool from the project's {@code .venv} (installed by scripts/install-emulator.sh), found like
 * {@code AwsEmulatorExtension} finds the emulators: missing, the test is skipped with a message saying
 * how to install it, unless {@code CI=true}, where it fails.
 */
final class VenvTool {

    static final Path ROOT = Path.of(System.getenv().getOrDefault("TRACKER_TEST_ROOT", ".."));

    /** Exit code and combined output of one run. */
    record Result(int exitCode, String output) {}

    private VenvTool() {}

    static Path require(String name) {
        Path exe = ROOT.resolve(".venv").resolve("bin").resolve(name);
        if (!Files.isExecutable(exe)) {
            String msg = name + " not found at " + exe.toAbsolutePath().normalize()
                    + " (run scripts/install-emulator.sh to create .venv)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(msg + "; CI=true, so a missing tool fails the build");
            }
            throw new TestAbortedException(msg + "; skipping");
        }
        return exe;
    }

    static Result run(String name, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(require(name).toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " did not finish within 5 minutes");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
