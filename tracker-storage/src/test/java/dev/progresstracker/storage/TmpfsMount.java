package dev.progresstracker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A tmpfs mounted for one test and unmounted (lazily) after it: {@code @RegisterExtension final TmpfsMount
 * tmpfs = new TmpfsMount();}. Mounting needs root: under {@code CI=true} a failed mount fails the test,
 * elsewhere it skips it with a message.
 */
final class TmpfsMount implements AfterEachCallback {

    private Path mount;

    /** Mounts a tmpfs of {@code size} (as {@code mount -o size=}, e.g. {@code 4m}) at {@code dir}, created if needed. */
    Path mount(Path dir, String size) throws Exception {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        Path at = Files.createDirectories(dir);
        boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString());
        if (mounted) {
            mount = at;
        }
        if (ci) {
            assertThat(mounted)
                    .as("CI=true: mounting a tmpfs (needs root) must work for this test")
                    .isTrue();
        } else {
            Assumptions.assumeTrue(mounted, "skipped: mounting a tmpfs needs root (runs under CI=true)");
        }
        return at;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (mount != null) {
            new ProcessBuilder("umount", "-l", mount.toString())
                    .inheritIO()
                    .start()
                    .waitFor(30, TimeUnit.SECONDS);
            mount = null;
        }
    }

    /** Runs {@code cmd}; false (its output printed) when it fails or cannot start. */
    static boolean run(String... cmd) throws Exception {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            boolean ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            if (!ok) {
                System.out.println(String.join(" ", cmd) + " failed: " + out);
            }
            return ok;
        } catch (IOException e) {
            return false;
        }
    }
}
