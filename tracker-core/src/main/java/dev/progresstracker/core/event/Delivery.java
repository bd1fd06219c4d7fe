package dev.progresstracker.core.event;

/**
 * Where an event stands on the delivery path that handed it to a consumer (one sink, one WebSocket
 * connection, one listener): what lets the consumer prove, from what it received alone, that it
 * missed no lifecycle event and holds the latest progress of every task.
 *
 * <p>Between {@link #previous} and the event's own sequence, the path delivered nothing of the run;
 * every event it skipped there is a {@code task.progress} or {@code task.usage} (conflatable, see
 * {@link EventType#isLifecycle()}) that a later such event of the same task replaced (counted in that
 * one's {@link #superseded}). A lifecycle event is never skipped. So a
 * received event whose {@code previous} the consumer does not hold names a lost event (by sequence
 * and type); {@code DeliveredStreamCheck} in {@code tracker-test} does this accounting.
 *
 * @param previous     sequence of the event of the same run this path delivered just before this one;
 *                     0 for the first one on the path. After a resume point or a snapshot it is that
 *                     point's sequence
 * @param previousType the type of that event; null when {@code previous} is 0, a resume point or a snapshot
 * @param superseded   how many earlier {@code task.progress}/{@code task.usage} events of the same task
 *                     this one replaces on this path (none of them was delivered); 0 for every other type
 */
public record Delivery(long previous, EventType previousType, long superseded) {

    public Delivery {
        if (previous < 0) {
            throw new IllegalArgumentException("delivery.previous must be >= 0: " + previous);
        }
        if (superseded < 0) {
            throw new IllegalArgumentException("delivery.superseded must be >= 0: " + superseded);
        }
        if (previous == 0 && previousType != null) {
            throw new IllegalArgumentException(
                    "delivery.previousType must be absent when previous is 0, got " + previousType.wireName());
        }
    }

    /** The {@link #superseded} count of {@code event}'s delivery, 0 if it has none. */
    public static long supersededBy(ProgressEvent event) {
        Delivery d = event.header().delivery();
        return d == null ? 0 : d.superseded();
    }
}
