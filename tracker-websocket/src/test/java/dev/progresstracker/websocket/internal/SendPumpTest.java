package dev.progresstracker.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Round spacing grows with the clients written to, between its floor and its cap. */
class SendPumpTest {

    private static long millis(int writes) {
        return TimeUnit.NANOSECONDS.toMillis(SendPump.roundInterval(writes));
    }

    @Test
    void roundsAreSpacedByTheClientsOfThePreviousRound() {
        assertThat(millis(0)).isEqualTo(5);
        assertThat(millis(100)).as("4 ms of writes: the floor").isEqualTo(5);
        assertThat(millis(500)).isEqualTo(20);
        assertThat(millis(1000)).isEqualTo(40);
        assertThat(millis(100_000)).as("the cap").isEqualTo(50);
    }
}
