package dev.progresstracker.test.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * Runs a local AWS emulator for a test class: {@code moto_server} (EventBridge, SQS, DynamoDB, Query/JSON
 * CloudWatch) or {@code ministack} (CloudWatch over Smithy RPC v2 CBOR), on 127.0.0.1 and a free port,
 * from the project's virtualenv ({@code scripts/install-emulator.sh} creates it).
 *
 * <pre>{@code @RegisterExtension static final AwsEmulatorExtension MOTO = AwsEmulatorExtension.moto();}</pre>
 *
 * <p>Executable: env {@code TRACKER_MOTO_SERVER} / {@code TRACKER_MINISTACK}, else
 * {@code <TRACKER_TEST_ROOT>/.venv/bin/<name>} ({@code TRACKER_TEST_ROOT} is set by the build to the
 * repository root). When it is missing the class is skipped with a message saying how to install
 * it, unless env {@code CI=true}: then the class fails. The emulator stops after the class;
 * {@link #stop()} and {@link #start()} let fault tests take it away and bring it back on the same port.
 */
public final class AwsEmulatorExtension implements BeforeAllCallback, AfterAllCallback {

    /** Region every emulator client should use. */
    public static final String REGION = "us-east-1";
    /** Any static credentials work with the emulators. */
    public static final String ACCESS_KEY_ID = "testing";

    public static final String SECRET_ACCESS_KEY = "testing";

    private final Kind kind;
    private final Function<String, String> env;
    private final Map<String, String> serverEnv = new java.util.LinkedHashMap<>();
    private Process process;
    private int port;
    private Path log;

    private enum Kind {
        MOTO("moto_server", "TRACKER_MOTO_SERVER", "/moto-api/", "/moto-api/reset", "123456789012"),
        MINISTACK("ministack", "TRACKER_MINISTACK", "/_ministack/health", "/_ministack/reset", "000000000000");

        final String executable;
        final String envVar;
        final String healthPath;
        final String resetPath;
        final String accountId;

        Kind(String executable, String envVar, String healthPath, String resetPath, String accountId) {
            this.executable = executable;
            this.envVar = envVar;
            this.healthPath = healthPath;
            this.resetPath = resetPath;
            this.accountId = accountId;
        }
    }

    private AwsEmulatorExtension(Kind kind, Function<String, String> env) {
        this.kind = kind;
        this.env = env;
    }

    /** moto server: EventBridge (rules, SQS targets), SQS, DynamoDB; CloudWatch only over Query/JSON. */
    public static AwsEmulatorExtension moto() {
        return new AwsEmulatorExtension(Kind.MOTO, System::getenv);
    }

    /** ministack: CloudWatch over Smithy RPC v2 CBOR (what SDK ≥ 2.40.6 sends), plus most other services. */
    public static AwsEmulatorExtension ministack() {
        return new AwsEmulatorExtension(Kind.MINISTACK, System::getenv);
    }

    /**
     * Sets an environment variable of the emulator process (before it starts), e.g. moto's
     * {@code INITIAL_NO_AUTH_ACTION_COUNT=0} to check credentials.
     */
    public AwsEmulatorExtension withServerEnv(String name, String value) {
        serverEnv.put(name, value);
        return this;
    }

    /** For tests of the extension itself: reads settings from {@code env} instead of the process environment. */
    static AwsEmulatorExtension moto(Function<String, String> env) {
        return new AwsEmulatorExtension(Kind.MOTO, env);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path exe = locate();
        if (!Files.isExecutable(exe)) {
            String msg = kind.executable + " not found at " + exe + " (set " + kind.envVar
                    + " or run scripts/install-emulator.sh to create .venv)";
            if ("true".equalsIgnoreCase(env.apply("CI"))) {
                throw new IllegalStateException(msg + "; CI=true, so a missing emulator fails the build");
            }
            throw new TestAbortedException(msg + "; skipping");
        }
        port = freePort();
        log = Files.createTempFile("aws-emulator-" + kind.executable + "-", ".log");
        start(exe);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** Where the executable is expected. */
    Path locate() {
        String explicit = env.apply(kind.envVar);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String root = env.apply("TRACKER_TEST_ROOT");
        Path base =
                root != null && !root.isBlank() ? Path.of(root) : Path.of("").toAbsolutePath();
        return base.resolve(".venv").resolve("bin").resolve(kind.executable);
    }

    /** Starts the emulator again on the same port (after {@link #stop()}); state starts empty. */
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        start(locate());
    }

    private synchronized void start(Path exe) throws IOException, InterruptedException {
        ProcessBuilder pb = kind == Kind.MOTO
                ? new ProcessBuilder(exe.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                : new ProcessBuilder(exe.toString());
        Map<String, String> e = pb.environment();
        e.put("BIND_HOST", "127.0.0.1");
        e.put("GATEWAY_PORT", Integer.toString(port));
        e.put("PYTHONUNBUFFERED", "1");
        e.putAll(serverEnv);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = pb.start();
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInSameThread()
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(kind.executable + " exited with " + process.exitValue()
                                    + " before it was ready; log " + log + ":\n" + tail());
                        }
                        return healthy();
                    });
        } catch (ConditionTimeoutException timeout) {
            stop();
            throw new IllegalStateException(
                    kind.executable + " not ready on port " + port + " within 60 s; log " + log + ":\n" + tail(),
                    timeout);
        }
    }

    /** Stops the emulator (and its child processes); endpoint calls fail until {@link #start()}. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
                process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** {@code http://127.0.0.1:<port>}: the endpoint override of every client. */
    public URI endpoint() {
        if (port == 0) {
            throw new IllegalStateException("the emulator has not been started (register the extension)");
        }
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public String region() {
        return REGION;
    }

    public String accessKeyId() {
        return ACCESS_KEY_ID;
    }

    public String secretAccessKey() {
        return SECRET_ACCESS_KEY;
    }

    /** Account id the emulator puts in ARNs. */
    public String accountId() {
        return kind.accountId;
    }

    /** Drops every resource the emulator holds. */
    public void reset() throws IOException {
        HttpURLConnection c =
                (HttpURLConnection) endpoint().resolve(kind.resetPath).toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.getOutputStream().close();
        int code = c.getResponseCode();
        c.disconnect();
        if (code != 200) {
            throw new IOException("reset of " + kind.executable + " answered " + code);
        }
    }

    /** The emulator's output so far (for failure messages). */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(Objects.requireNonNull(log));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean healthy() {
        try {
            HttpURLConnection c = (HttpURLConnection)
                    endpoint().resolve(kind.healthPath).toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            int code = c.getResponseCode();
            c.disconnect();
            return code == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
