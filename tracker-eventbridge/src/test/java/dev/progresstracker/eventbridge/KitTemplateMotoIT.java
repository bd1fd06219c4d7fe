package dev.progresstracker.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.spi.OverflowPolicy;
import dev.progresstracker.test.MutableClock;
import dev.progresstracker.test.RecordingSink;
import dev.progresstracker.test.SampleRuns;
import dev.progresstracker.test.aws.AwsEmulatorExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.eventbridge.model.Rule;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * deploy/eventbridge-kit.yaml deployed to moto's CloudFormation, then a real tracker with the EventBridge
 * sink publishes four runs to the deployed bus: the deployed failures rule delivers exactly the failures
 * of cluster prod-eu to the deployed queue, counted by event id, and the progress rule writes progress
 * over 50 % (each task's latest at least) to the deployed log group.
 *
 * <p>moto 5.2.5 creates the bus, archive, rules with their targets, queue, topic, log group, log resource
 * policy and the managed policy. It skips, without failing the stack, {@link #LINT_ONLY}: the SQS queue
 * policy, the SNS topic policy and the schema registry with its schemas; those are checked by cfn-lint
 * only ({@link KitTemplateLintIT}). It cannot deliver to SNS targets, so those are removed before the
 * run (see {@link #removeSnsTargets}); it rejects the template without {@code FleetTableName} (an
 * {@code AWS::NoValue} statement is not dropped from the policy), so the test deploys with one.
 */
class KitTemplateMotoIT {

    @RegisterExtension
    static final AwsEmulatorExtension MOTO = AwsEmulatorExtension.moto();

    /** Resource types moto's CloudFormation does not create (linted only). */
    static final Set<String> LINT_ONLY = Set.of(
            "AWS::SQS::QueuePolicy",
            "AWS::SNS::TopicPolicy",
            "AWS::EventSchemas::Registry",
            "AWS::EventSchemas::Schema");

    private static final Pattern RESOURCE = Pattern.compile("(?m)^  ([A-Za-z0-9]+):\\n    Type: (AWS::[A-Za-z0-9:]+)");

    @TempDir
    Path dir;

    private static Map<String, String> templateResources(String template) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = RESOURCE.matcher(template);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    @Test
    void deployedRuleDeliversExactlyTheFailuresOfProdEuToTheDeployedQueue() throws Exception {
        String template = KitTemplate.read();
        CloudFormationQuery cfn = new CloudFormationQuery(MOTO.endpoint());
        cfn.call(Map.of(
                "Action",
                "CreateStack",
                "StackName",
                "kit",
                "TemplateBody",
                template,
                "Capabilities.member.1",
                "CAPABILITY_NAMED_IAM",
                "Parameters.member.1.ParameterKey",
                "FleetTableName",
                "Parameters.member.1.ParameterValue",
                "progress-tracker"));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !cfn.stackStatus("kit").endsWith("_IN_PROGRESS"));
        assertThat(cfn.stackStatus("kit")).isEqualTo("CREATE_COMPLETE");

        Map<String, String> declared = templateResources(template);
        assertThat(declared).hasSizeGreaterThan(20).containsEntry("EventBus", "AWS::Events::EventBus");
        Map<String, String> expectedDeployed = new LinkedHashMap<>(declared);
        expectedDeployed.values().removeIf(LINT_ONLY::contains);
        assertThat(cfn.resources("kit"))
                .as("what moto deploys; the rest is lint-only: " + LINT_ONLY)
                .containsExactlyInAnyOrderEntriesOf(expectedDeployed);

        Map<String, String> outputs = cfn.outputs("kit");
        String bus = outputs.get("EventBusName");
        assertThat(bus).isEqualTo("eks-upgrades");
        assertThat(outputs.get("EventBusArn")).endsWith(":event-bus/eks-upgrades");

        List<String> snsTargetsRemoved = removeSnsTargets(bus);
        assertThat(snsTargetsRemoved)
                .as("the three notification rules (phase change, validation failure, cost over budget) had SNS targets")
                .hasSize(3)
                .allMatch(arn -> arn.contains("NotificationsTopic"));

        List<ProgressEvent> published = new ArrayList<>();
        int n = 0;
        for (String cluster : List.of("prod-eu", "staging")) {
            List<BiConsumer<ProgressTracker, MutableClock>> drivers =
                    List.of(SampleRuns::drive, SampleRuns::driveFailure);
            for (BiConsumer<ProgressTracker, MutableClock> driver : drivers) {
                EventBridgeFixtureConfig config = new EventBridgeFixtureConfig(bus, dir.resolve("outbox-" + n));
                RecordingSink emitted = new RecordingSink("emitted", OverflowPolicy.BLOCK, 1 << 20);
                EventBridgeSink sink = EventBridgeSink.builder(config.build())
                        .client(config.client())
                        .build();
                MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
                try (ProgressTracker t = ProgressTracker.builder()
                        .runId("kit-run-" + n++)
                        .clusterName(cluster)
                        .clock(clock)
                        .sink(sink)
                        .sink(emitted)
                        .build()) {
                    driver.accept(t, clock);
                    assertThat(t.flush(Duration.ofSeconds(20))).isTrue();
                }
                assertThat(sink.stats().failed()).as("nothing dead-lettered").isZero();
                published.addAll(emitted.events());
            }
        }
        List<String> expected = published.stream()
                .filter(e -> "prod-eu".equals(e.header().clusterName()))
                .filter(e -> e.type() == EventType.UPGRADE_FAILED || e.type() == EventType.TASK_FAILED)
                .map(e -> e.eventId().toString())
                .toList();
        assertThat(expected).as("the runs contain failures of prod-eu").hasSizeGreaterThanOrEqualTo(2);
        assertThat(published.stream()
                        .filter(e -> "staging".equals(e.header().clusterName()))
                        .filter(e -> e.type() == EventType.TASK_FAILED))
                .as("and failures the rule must not deliver")
                .isNotEmpty();

        List<JsonNode> received = new ArrayList<>();
        var creds = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(AwsEmulatorExtension.ACCESS_KEY_ID, AwsEmulatorExtension.SECRET_ACCESS_KEY));
        try (SqsAsyncClient sqs = SqsAsyncClient.builder()
                .endpointOverride(MOTO.endpoint())
                .credentialsProvider(creds)
                .region(Region.US_EAST_1)
                .build()) {
            String output = outputs.get("FailuresQueueUrl");
            String queueName = output.substring(output.lastIndexOf('/') + 1);
            // The output holds AWS's URL form; the emulator's own URL for the same queue is asked for.
            String queueUrl =
                    sqs.getQueueUrl(b -> b.queueName(queueName)).join().queueUrl();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                List<Message> batch = sqs.receiveMessage(b ->
                                b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0))
                        .join()
                        .messages();
                for (Message m : batch) {
                    received.add(WireFormat.reader().readTree(m.body()));
                }
                if (!batch.isEmpty()) {
                    List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
                    for (Message m : batch) {
                        done.add(DeleteMessageBatchRequestEntry.builder()
                                .id(Integer.toString(done.size()))
                                .receiptHandle(m.receiptHandle())
                                .build());
                    }
                    assertThat(sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(done))
                                    .join()
                                    .failed())
                            .isEmpty();
                }
                return received.size() >= expected.size();
            });
        }
        assertThat(received.stream()
                        .map(e -> e.get("detail").get("eventId").asText())
                        .toList())
                .as("every failure of prod-eu exactly once, nothing else")
                .containsExactlyInAnyOrderElementsOf(expected);
        for (JsonNode e : received) {
            assertThat(e.get("source").asText()).isEqualTo("eks-upgrade-agent");
            assertThat(e.get("detail").get("cluster_name").asText())
                    .as("original fields on by default")
                    .isEqualTo("prod-eu");
        }

        // The progress rule's CloudWatch Logs target: progress may be coalesced by the sink, but each task's
        // latest progress is always sent, so every task whose latest progress is over 50 % must be there.
        List<ProgressEvent> overHalf = published.stream()
                .filter(e -> e.type() == EventType.TASK_PROGRESS)
                .filter(e -> ((TaskEvent) e).task().percent() > 50)
                .toList();
        Map<String, String> latestProgress = new LinkedHashMap<>();
        published.stream()
                .filter(e -> e.type() == EventType.TASK_PROGRESS)
                .forEach(e -> latestProgress.put(
                        e.runId() + "/" + ((TaskEvent) e).taskId(), e.eventId().toString()));
        Set<String> overHalfIds =
                overHalf.stream().map(e -> e.eventId().toString()).collect(Collectors.toSet());
        List<String> mustBeLogged =
                latestProgress.values().stream().filter(overHalfIds::contains).toList();
        assertThat(mustBeLogged).isNotEmpty();
        String logGroup = outputs.get("ProgressLogGroupName");
        List<JsonNode> logged = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            logged.clear();
            logged.addAll(logEvents(logGroup));
            return logged.stream()
                    .map(e -> e.get("detail").get("eventId").asText())
                    .collect(Collectors.toSet())
                    .containsAll(mustBeLogged);
        });
        for (JsonNode e : logged) {
            assertThat(e.get("detail-type").asText()).isEqualTo("task.progress");
            assertThat(e.get("detail").get("task").get("percent").asDouble()).isGreaterThan(50);
        }
        assertThat(logged.stream()
                        .map(e -> e.get("detail").get("eventId").asText())
                        .toList())
                .as("only progress over 50 %, each once")
                .doesNotHaveDuplicates()
                .isSubsetOf(overHalfIds);
    }

    /** The events in {@code logGroup} (CloudWatch Logs JSON protocol; the SDK's logs client is not a dependency). */
    private static List<JsonNode> logEvents(String logGroup) throws Exception {
        String body = JsonNodeFactory.instance
                .objectNode()
                .put("logGroupName", logGroup)
                .toString();
        HttpRequest req = HttpRequest.newBuilder(MOTO.endpoint())
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "Logs_20140328.FilterLogEvents")
                .header(
                        "Authorization",
                        "AWS4-HMAC-SHA256 Credential=" + AwsEmulatorExtension.ACCESS_KEY_ID + "/20260101/"
                                + AwsEmulatorExtension.REGION + "/logs/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : WireFormat.reader().readTree(r.body()).get("events")) {
            out.add(WireFormat.reader().readTree(e.get("message").asText()));
        }
        return out;
    }

    /**
     * moto 5.2.5 cannot deliver to SNS targets: PutEvents answers HTTP 500 (NotImplementedError) for an
     * event that matches such a rule, after it delivered it to the other targets, so the sink's retries
     * would duplicate it. The deployed SNS targets are removed; that path is checked by cfn-lint only.
     */
    private static List<String> removeSnsTargets(String bus) {
        List<String> removed = new ArrayList<>();
        var creds = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(AwsEmulatorExtension.ACCESS_KEY_ID, AwsEmulatorExtension.SECRET_ACCESS_KEY));
        try (EventBridgeAsyncClient events = EventBridgeAsyncClient.builder()
                .endpointOverride(MOTO.endpoint())
                .credentialsProvider(creds)
                .region(Region.US_EAST_1)
                .build()) {
            for (Rule rule : events.listRules(b -> b.eventBusName(bus)).join().rules()) {
                for (Target target : events.listTargetsByRule(
                                b -> b.eventBusName(bus).rule(rule.name()))
                        .join()
                        .targets()) {
                    if (target.arn().startsWith("arn:aws:sns:")) {
                        events.removeTargets(b ->
                                        b.eventBusName(bus).rule(rule.name()).ids(target.id()))
                                .join();
                        removed.add(target.arn());
                    }
                }
            }
        }
        return removed;
    }

    /** Sink settings for the deployed bus on moto. */
    private record EventBridgeFixtureConfig(String bus, Path outbox) {
        EventBridgeConfig build() {
            return EventBridgeConfig.builder()
                    .eventBusName(bus)
                    .endpointOverride(MOTO.endpoint())
                    .region("us-east-1")
                    .outboxDirectory(outbox)
                    .maxBatchDelay(Duration.ofMillis(50))
                    .progressMinInterval(Duration.ZERO)
                    .initialBackoff(Duration.ofMillis(20))
                    .maxBackoff(Duration.ofMillis(500))
                    .apiCallTimeout(Duration.ofSeconds(5))
                    .build();
        }

        EventBridgeAsyncClient client() {
            return EventBridgeSink.createClient(
                    build(),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(
                            AwsEmulatorExtension.ACCESS_KEY_ID, AwsEmulatorExtension.SECRET_ACCESS_KEY)));
        }
    }
}
