package dev.progresstracker.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.test.aws.AwsEmulatorExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Two demos on two clusters writing one DynamoDB table (moto): the first one's WebSocket server
 * (and so its dashboard) streams the second one's run too, through the fleet feed, with its cluster.
 */
class DemoFleetIT {

    @RegisterExtension
    static final AwsEmulatorExtension MOTO = AwsEmulatorExtension.moto();

    @Test
    void aSecondDemoOnAnotherClusterShowsInTheFirstOnesDashboard(@TempDir Path work) throws Exception {
        int wsPort;
        try (ServerSocket s = new ServerSocket(0)) {
            wsPort = s.getLocalPort();
        }
        String table = "fleet-" + System.nanoTime();
        ByteArrayOutputStream consoleEu = new ByteArrayOutputStream();
        CompletableFuture<Integer> eu = CompletableFuture.supplyAsync(() -> new CommandLine(
                        new Demo(new PrintStream(consoleEu, true, StandardCharsets.UTF_8), name -> null))
                .execute(
                        "--run-id",
                        "fleet-eu",
                        "--cluster",
                        "prod-eu",
                        "--speed",
                        "20",
                        "--plain",
                        "--data-dir",
                        work.resolve("eu").toString(),
                        "--dynamodb-endpoint",
                        MOTO.endpoint().toString(),
                        "--dynamodb-table",
                        table,
                        "--ws-port",
                        Integer.toString(wsPort),
                        "--dashboard-port",
                        "0",
                        "--linger",
                        "PT20S"));
        DemoEndToEndIT.Recorder us =
                new DemoEndToEndIT.Recorder(URI.create("ws://127.0.0.1:" + wsPort + "/"), "fleet-us");
        await().atMost(60, TimeUnit.SECONDS)
                .pollInterval(200, TimeUnit.MILLISECONDS)
                .until(() -> {
                    if (eu.isDone()) {
                        throw new AssertionError(
                                "the first demo ended early: " + consoleEu.toString(StandardCharsets.UTF_8));
                    }
                    return consoleEu.toString(StandardCharsets.UTF_8).contains("Fleet: ");
                });
        assertThat(us.connectBlocking(10, TimeUnit.SECONDS)).isTrue();

        ByteArrayOutputStream consoleUs = new ByteArrayOutputStream();
        int second = new CommandLine(new Demo(new PrintStream(consoleUs, true, StandardCharsets.UTF_8), name -> null))
                .execute(
                        "--run-id",
                        "fleet-us",
                        "--cluster",
                        "prod-us",
                        "--speed",
                        "40",
                        "--plain",
                        "--data-dir",
                        work.resolve("us").toString(),
                        "--dynamodb-endpoint",
                        MOTO.endpoint().toString(),
                        "--dynamodb-table",
                        table,
                        "--no-websocket");
        assertThat(second).as(consoleUs.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(consoleUs.toString(StandardCharsets.UTF_8)).contains("Storage: DynamoDB table '" + table + "'");

        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> assertThat(us.events())
                        .as("the second demo's run, streamed by the first demo's server")
                        .anySatisfy(e -> {
                            assertThat(e.type()).isEqualTo(EventType.UPGRADE_COMPLETED);
                            assertThat(e.header().clusterName()).isEqualTo("prod-us");
                        }));
        assertThat(us.events()).extracting(ProgressEvent::sequence).isSorted().doesNotHaveDuplicates();
        us.closeBlocking();
        assertThat(eu.get(120, TimeUnit.SECONDS))
                .as(consoleEu.toString(StandardCharsets.UTF_8))
                .isZero();
    }
}
