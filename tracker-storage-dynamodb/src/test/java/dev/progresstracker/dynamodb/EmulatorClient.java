package dev.progresstracker.dynamodb;

import dev.progresstracker.test.aws.AwsEmulatorExtension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * The emulator of a test class and one client for the whole class:
 * {@code @RegisterExtension static final EmulatorClient DB = EmulatorClient.moto();}. Starts the
 * emulator, then opens the client; closes the client, then stops the emulator. One extension for
 * both keeps that order without relying on JUnit's order of registered fields.
 */
final class EmulatorClient implements BeforeAllCallback, AfterAllCallback {

    private final AwsEmulatorExtension emulator;
    private DynamoDbAsyncClient client;

    private EmulatorClient(AwsEmulatorExtension emulator) {
        this.emulator = emulator;
    }

    static EmulatorClient moto() {
        return new EmulatorClient(AwsEmulatorExtension.moto());
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        emulator.beforeAll(context);
        client = DynamoDbTestSupport.client(emulator);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (client != null) {
                client.close();
                client = null;
            }
        } finally {
            emulator.afterAll(context);
        }
    }

    AwsEmulatorExtension emulator() {
        return emulator;
    }

    /** The class's client; valid between the class's first and last test. */
    DynamoDbAsyncClient client() {
        return client;
    }
}
