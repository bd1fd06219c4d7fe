package dev.progresstracker.test.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A bus, a rule matching {@code source = eks-upgrade-agent} and an SQS queue as its target, on an
 * emulator; reads what reaches the queue (every SQS body is the EventBridge envelope).
 */
public class EventBridgeToSqs implements AutoCloseable {

    public static final String PATTERN = "{\"source\":[\"eks-upgrade-agent\"]}";

    public final EventBridgeAsyncClient events;
    public final SqsAsyncClient sqs;
    public final String bus;
    public final String queueName;
    private String queueUrl;
    private final List<JsonNode> received = new ArrayList<>();

    public EventBridgeToSqs(URI endpoint, String bus) {
        this.bus = bus;
        this.queueName = bus + "-q";
        var creds = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(AwsEmulatorExtension.ACCESS_KEY_ID, AwsEmulatorExtension.SECRET_ACCESS_KEY));
        // Timeouts: a call in flight when a fault test kills the emulator must fail, not hang the reader.
        this.events = EventBridgeAsyncClient.builder()
                .endpointOverride(endpoint)
                .credentialsProvider(creds)
                .region(Region.US_EAST_1)
                .overrideConfiguration(
                        o -> o.apiCallTimeout(Duration.ofSeconds(30)).apiCallAttemptTimeout(Duration.ofSeconds(10)))
                .build();
        this.sqs = SqsAsyncClient.builder()
                .endpointOverride(endpoint)
                .credentialsProvider(creds)
                .region(Region.US_EAST_1)
                .overrideConfiguration(
                        o -> o.apiCallTimeout(Duration.ofSeconds(30)).apiCallAttemptTimeout(Duration.ofSeconds(10)))
                .build();
        create();
    }

    public static EventBridgeToSqs on(AwsEmulatorExtension emulator, String bus) {
        return new EventBridgeToSqs(emulator.endpoint(), bus);
    }

    /** Creates bus, queue, rule and target (again after an emulator restart). */
    public void create() {
        events.createEventBus(b -> b.name(bus)).join();
        queueUrl = sqs.createQueue(b -> b.queueName(queueName)).join().queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .join()
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        events.putRule(b -> b.name(bus + "-all").eventBusName(bus).eventPattern(PATTERN))
                .join();
        events.putTargets(b -> b.rule(bus + "-all")
                        .eventBusName(bus)
                        .targets(Target.builder().id("queue").arn(queueArn).build()))
                .join();
    }

    /** Reads the queue once (deleting what it read); returns every envelope received so far. */
    public synchronized List<JsonNode> poll() {
        while (true) {
            List<Message> batch = sqs.receiveMessage(
                            b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .join()
                    .messages();
            if (batch.isEmpty()) {
                return List.copyOf(received);
            }
            List<DeleteMessageBatchRequestEntry> del = new ArrayList<>();
            for (Message m : batch) {
                try {
                    received.add(WireFormat.reader().readTree(m.body()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                del.add(DeleteMessageBatchRequestEntry.builder()
                        .id(Integer.toString(del.size()))
                        .receiptHandle(m.receiptHandle())
                        .build());
            }
            sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(del)).join();
        }
    }

    /** Polls until {@code done} holds for the events received (or 30 s); returns them. */
    public List<ProgressEvent> awaitEvents(Predicate<List<ProgressEvent>> done) throws InterruptedException {
        try {
            return Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInSameThread()
                    .pollInterval(Duration.ofMillis(50))
                    .until(this::events, done::test);
        } catch (ConditionTimeoutException e) {
            return events(); // the caller's assertions say what is missing
        }
    }

    /** The events received so far, parsed from each envelope's {@code detail}. */
    public List<ProgressEvent> events() {
        return poll().stream().map(n -> WireFormat.readEvent(n.get("detail"))).toList();
    }

    public List<JsonNode> envelopes() {
        return poll();
    }

    @Override
    public void close() {
        events.close();
        sqs.close();
    }
}
