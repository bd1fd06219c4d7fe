package dev.progresstracker.test.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

class AwsEmulatorExtensionTest {

    @TempDir
    Path dir;

    @Test
    void aMissingEmulatorSkipsWithInstructions() {
        AwsEmulatorExtension ext = AwsEmulatorExtension.moto(Map.of("TRACKER_TEST_ROOT", dir.toString())::get);
        assertThat(ext.locate()).isEqualTo(dir.resolve(".venv/bin/moto_server"));
        assertThatThrownBy(() -> ext.beforeAll(null))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("moto_server not found")
                .hasMessageContaining("install-emulator.sh");
    }

    @Test
    void aMissingEmulatorFailsUnderCi() {
        AwsEmulatorExtension ext =
                AwsEmulatorExtension.moto(Map.of("TRACKER_TEST_ROOT", dir.toString(), "CI", "true")::get);
        assertThatThrownBy(() -> ext.beforeAll(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CI=true");
    }

    @Test
    void anExplicitPathWins() {
        AwsEmulatorExtension ext = AwsEmulatorExtension.moto(
                Map.of("TRACKER_MOTO_SERVER", "/opt/moto/bin/moto_server", "TRACKER_TEST_ROOT", dir.toString())::get);
        assertThat(ext.locate()).isEqualTo(Path.of("/opt/moto/bin/moto_server"));
    }
}
