package dev.progresstracker.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Envelopes the tracker really published (the three sample runs through the EventBridge sink, all 17
 * detail-types; recorded by tracker-eventbridge's {@code TrackerEventsRoundTripTest}), one per line.
 */
final class Recorded {

    static final String RESOURCE = "/dev/progresstracker/events/recorded/sample-runs.jsonl";

    private Recorded() {}

    static List<String> envelopes() {
        try (InputStream in = Recorded.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last recorded envelope of {@code type}. */
    static String last(DetailType type) {
        List<String> all = envelopes().stream()
                .filter(l -> l.contains("\"detail-type\":\"" + type.wireName() + "\""))
                .toList();
        return all.get(all.size() - 1);
    }

    /** The first recorded envelope of {@code type}. */
    static String first(DetailType type) {
        return envelopes().stream()
                .filter(l -> l.contains("\"detail-type\":\"" + type.wireName() + "\""))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no recorded " + type));
    }
}
