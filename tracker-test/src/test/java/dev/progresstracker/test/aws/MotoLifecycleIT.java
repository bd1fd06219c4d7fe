package dev.progresstracker.test.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.HttpURLConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Starts the real moto_server: answers, stops (port closed), starts again on the same port. */
class MotoLifecycleIT {

    @RegisterExtension
    static final AwsEmulatorExtension MOTO = AwsEmulatorExtension.moto();

    @Test
    void servesStopsAndComesBackOnTheSamePort() throws Exception {
        assertThat(MOTO.endpoint().getHost()).isEqualTo("127.0.0.1");
        assertThat(status()).isEqualTo(200);
        MOTO.reset();
        int port = MOTO.port();
        MOTO.stop();
        assertThat(MOTO.isRunning()).isFalse();
        assertThatThrownBy(this::status).isInstanceOf(IOException.class);
        MOTO.start();
        assertThat(MOTO.port()).isEqualTo(port);
        assertThat(status()).isEqualTo(200);
    }

    private int status() throws IOException {
        HttpURLConnection c = (HttpURLConnection)
                MOTO.endpoint().resolve("/moto-api/").toURL().openConnection();
        c.setConnectTimeout(1000);
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }
}
