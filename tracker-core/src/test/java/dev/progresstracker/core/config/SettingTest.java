package dev.progresstracker.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingTest {

    record Sample(int port, Duration timeout, String token, Duration maxAge) {
        static final Setting<Integer> PORT =
                Setting.integer("port", 8765).range(0, 65_535).env("T_PORT").doc("port");
        static final Setting<Duration> TIMEOUT = Setting.duration("timeout", Duration.ofSeconds(10))
                .atLeast(Duration.ofMillis(10))
                .orZero()
                .env("T_TIMEOUT")
                .doc("timeout; 0 = none");
        static final Setting<String> TOKEN = Setting.text("token", null)
                .optional("none")
                .matching("[a-z]{4,8}", "4..8 letters a-z")
                .secret()
                .env("T_TOKEN")
                .doc("token");
        static final Setting<Duration> MAX_AGE = Setting.duration("maxAge", Duration.ofDays(30))
                .above(Duration.ZERO)
                .optional("keep")
                .env("T_MAX_AGE")
                .doc("age");
        static final ConfigSpec<Sample> SPEC = ConfigSpec.of(Sample.class, PORT, TIMEOUT, TOKEN, MAX_AGE);

        Sample {
            SPEC.validate(port, timeout, token, maxAge);
        }
    }

    record Drifted(int port) {}

    @Test
    void a_refused_value_names_the_property_the_range_and_the_value() {
        assertThatThrownBy(() -> Sample.PORT.check(70_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port must be within 0..65535, got 70000");
        assertThatThrownBy(() -> Sample.TIMEOUT.check(Duration.ofMillis(5)))
                .hasMessage("timeout must be 0 or at least 10 ms, got PT0.005S");
        assertThat(Sample.TIMEOUT.check(Duration.ZERO)).isZero();
        assertThatThrownBy(() -> Sample.MAX_AGE.check(Duration.ZERO)).hasMessage("maxAge must be above 0, got PT0S");
        assertThatThrownBy(() -> Sample.PORT.check(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("port must not be null");
    }

    @Test
    void from_the_environment_the_message_also_names_the_variable_and_quotes_its_text() {
        assertThatThrownBy(() -> Sample.SPEC.fromEnvironment(Map.of("T_PORT", "99999")))
                .hasMessage("T_PORT (port) must be within 0..65535, got '99999'");
        assertThatThrownBy(() -> Sample.SPEC.fromEnvironment(Map.of("T_PORT", "many")))
                .hasMessage("T_PORT (port) must be an integer, got 'many'");
        assertThatThrownBy(() -> Sample.SPEC.fromEnvironment(Map.of("T_TIMEOUT", "soon")))
                .hasMessageStartingWith("T_TIMEOUT (timeout) must be an ISO-8601 duration");
        Sample s = Sample.SPEC.fromEnvironment(Map.of("T_PORT", " 0 ", "T_TIMEOUT", "250", "T_MAX_AGE", "off"));
        assertThat(s).isEqualTo(new Sample(0, Duration.ofMillis(250), null, null));
    }

    @Test
    void a_secret_is_never_echoed() {
        assertThatThrownBy(() -> Sample.SPEC.fromEnvironment(Map.of("T_TOKEN", "Secret-123")))
                .hasMessage("T_TOKEN (token) must be non-blank, 4..8 letters a-z")
                .hasMessageNotContaining("Secret");
        assertThatThrownBy(() -> new Sample(1, Duration.ZERO, "Secret-123", null))
                .hasMessageNotContaining("Secret");
        assertThat(Sample.SPEC.toString(new Sample(1, Duration.ZERO, "abcdef", null)))
                .isEqualTo("Sample[port=1, timeout=PT0S, token=***, maxAge=null]");
    }

    @Test
    void the_constructor_checks_too_and_defaults_come_from_the_declarations() {
        assertThatThrownBy(() -> new Sample(-1, Duration.ZERO, null, null)).hasMessageStartingWith("port must be");
        assertThat(Sample.SPEC.defaults())
                .isEqualTo(new Sample(8765, Duration.ofSeconds(10), null, Duration.ofDays(30)));
    }

    @Test
    void declarations_that_do_not_match_the_record_are_refused_at_once() {
        assertThatThrownBy(() -> ConfigSpec.of(Drifted.class, Setting.integer("portNumber", 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[portNumber]")
                .hasMessageContaining("[port]");
        assertThatThrownBy(() -> ConfigSpec.of(Drifted.class, Setting.duration("port", Duration.ZERO)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Drifted.port is a int");
    }

    @Test
    void tables_show_values_as_people_read_them() {
        assertThat(Sample.TIMEOUT.defaultShown()).isEqualTo("10 s");
        assertThat(Sample.MAX_AGE.defaultShown()).isEqualTo("30 days");
        assertThat(Sample.TOKEN.defaultShown()).isEqualTo("none");
        assertThat(Setting.integer("b", 64 << 10).bytes().defaultShown()).isEqualTo("64 KiB");
        assertThat(Sample.PORT.allowed()).isEqualTo("within 0..65535");
    }
}
