package dev.progresstracker.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.event.EventType;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** deploy/eventbridge-kit.yaml carries exactly the shipped JSON Schemas (one resource per detail-type). */
class KitTemplateTest {

    @Test
    void theTemplatesSchemasAreTheShippedOnes() throws Exception {
        String template = KitTemplate.read();
        String want = KitTemplate.regenerated(template);
        if (!want.equals(template) && Boolean.getBoolean("tracker.docs.write")) {
            Files.writeString(KitTemplate.TEMPLATE, want);
            template = want;
        }
        assertThat(template)
                .as("deploy/eventbridge-kit.yaml schema section differs from the jar's schemas; "
                        + "rerun with -Dtracker.docs.write=true to regenerate it")
                .isEqualTo(want);
        for (EventType t : EventType.values()) {
            assertThat(template).contains("  " + KitTemplate.logicalId(t) + ":\n", "@" + t.wireName() + "\"");
        }
    }
}
