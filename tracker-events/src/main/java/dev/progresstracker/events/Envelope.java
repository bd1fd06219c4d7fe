package dev.progresstracker.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An EventBridge event as a rule target receives it (a Lambda's input, an SQS message's body): the
 * envelope fields and the tracker event read from {@code detail}.
 *
 * @param version    EventBridge's envelope version ({@code "0"}), or null when absent
 * @param id         EventBridge's id of the event (not the tracker's {@link EventHeader#eventId()})
 * @param detailType the wire name of the detail-type
 * @param source     {@code eks-upgrade-agent} unless the producer configured another
 * @param account    the AWS account, or null when absent
 * @param time       the event's time as EventBridge holds it (whole seconds)
 * @param region     the AWS region, or null when absent
 * @param resources  the cluster ARN when the producer configured one; empty otherwise
 * @param detail     the tracker event
 */
public record Envelope(
        String version,
        String id,
        String detailType,
        String source,
        String account,
        Instant time,
        String region,
        List<String> resources,
        TrackerEvent detail) {

    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(detailType, "detailType");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(detail, "detail");
        resources = resources == null ? List.of() : List.copyOf(resources);
    }
}
