package dev.progresstracker.events;

import java.util.Objects;

/** The null checks every event record makes of its parts. */
final class Parts {

    private Parts() {}

    static void require(EventHeader header, Run run) {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(run, "run");
    }

    static void require(EventHeader header, Run run, Object part, String name) {
        require(header, run);
        Objects.requireNonNull(part, name);
    }
}
