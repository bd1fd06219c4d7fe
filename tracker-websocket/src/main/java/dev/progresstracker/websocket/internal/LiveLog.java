package dev.progresstracker.websocket.internal;

/**
 * The newest events of one run by position (0, 1, 2, … in publish order) for the clients that are
 * caught up with it: instead of each such client holding a queue entry per event, the send thread
 * hands every one of them the same concatenated frames once per round. Fixed capacity; the ring is
 * allocated only while some client reads from it. Guarded by the run's {@link RunChannel} lock.
 */
final class LiveLog {

    /** Events kept; a reader this far behind is moved to its own (conflating) queue first. */
    static final int CAPACITY = 4096;

    private Outbound[] ring;
    private long end;

    /** Position the next event gets. */
    long end() {
        return end;
    }

    /** Oldest position still held. */
    long start() {
        return ring == null ? end : Math.max(0, end - CAPACITY);
    }

    void append(Outbound event) {
        if (ring == null) {
            ring = new Outbound[CAPACITY];
        }
        ring[(int) (end % CAPACITY)] = event;
        end++;
    }

    /** Drops what is held (no reader left); positions go on counting. */
    void release() {
        ring = null;
    }

    Outbound get(long position) {
        if (position < start() || position >= end) {
            throw new IllegalArgumentException("position " + position + " not in [" + start() + ", " + end + ")");
        }
        return ring[(int) (position % CAPACITY)];
    }

    /** The frames of positions {@code from} (inclusive) to {@link #end()}, one after the other. */
    byte[] frames(long from) {
        int size = 0;
        for (long p = from; p < end; p++) {
            size += get(p).size();
        }
        byte[] out = new byte[size];
        int at = 0;
        for (long p = from; p < end; p++) {
            byte[] f = ring[(int) (p % CAPACITY)].frame();
            System.arraycopy(f, 0, out, at, f.length);
            at += f.length;
        }
        return out;
    }
}
