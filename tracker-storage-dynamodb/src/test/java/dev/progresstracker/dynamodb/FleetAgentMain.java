package dev.progresstracker.dynamodb;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TaskView;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * An upgrade agent in its own JVM for {@code FleetViewIT}: runs (or resumes) one upgrade of
 * {@code steps} tasks in the shared table, printing {@code ACK <sequence>} as the store confirms
 * events, {@code DONE} at the end. Args: endpoint table runId steps stepDelayMillis.
 */
public final class FleetAgentMain {

    private FleetAgentMain() {}

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        String table = args[1];
        String runId = args[2];
        int steps = Integer.parseInt(args[3]);
        long delay = Long.parseLong(args[4]);
        System.out.println("START " + runId + " in " + System.getProperty("user.dir"));
        try (DynamoDbAsyncClient client = DynamoDbAsyncClient.builder()
                        .endpointOverride(endpoint)
                        .region(Region.US_EAST_1)
                        .credentialsProvider(
                                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                        .build();
                ProgressTracker t = ProgressTracker.builder()
                        .runId(runId)
                        .clusterName("cluster-" + runId)
                        .store(DynamoDbProgressStore.builder()
                                .client(client)
                                .config(DynamoDbStoreConfig.builder()
                                        .tableName(table)
                                        .progressCoalesceInterval(Duration.ZERO)
                                        .build())
                                .build())
                        .build()) {
            if (t.tasks().isEmpty()) {
                List<TaskSpec> specs = new ArrayList<>();
                for (int i = 1; i <= steps; i++) {
                    specs.add(TaskSpec.of("step-" + i, "Step " + i, TaskType.UPGRADE_STEP));
                }
                t.addTasks(specs);
                ack(t.startUpgrade("data-plane"));
            } else {
                System.out.println("RESUMED at " + t.snapshot().lastSequence());
            }
            for (TaskView task : t.tasks()) {
                if (task.status() == TaskStatus.COMPLETED) {
                    continue;
                }
                if (task.status() == TaskStatus.NOT_STARTED) {
                    ack(t.startTask(task.taskId()));
                }
                for (int p = (int) task.percent() / 25 + 1; p <= 3; p++) {
                    Thread.sleep(delay);
                    ack(t.updateTaskProgress(task.taskId(), p * 25.0));
                }
                Thread.sleep(delay);
                ack(t.completeTask(task.taskId()));
            }
            ack(t.completeUpgrade());
        }
        System.out.println("DONE");
    }

    private static void ack(java.util.concurrent.CompletionStage<Long> stage) throws Exception {
        long seq = stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.println("ACK " + seq);
        System.out.flush();
    }
}
