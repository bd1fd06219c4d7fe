package dev.progresstracker.websocket.internal;

import java.util.Arrays;
import java.util.Collection;

/**
 * The runs a client's latest {@code summary} listed, so that a subscription can tell a run the client
 * was told of (no resume point: it asked for a snapshot) from one that began after the summary (it
 * could not name a resume point: it is streamed from its start). Immutable.
 *
 * <p>Held per connection as 64-bit hashes of the run ids, sorted: 8 bytes a run, at most
 * {@value #MAX_RUNS} runs (32 KiB). Of a summary listing more runs only the count is kept: that
 * client is treated as one that never asked for a summary (every run without a resume point gets a
 * snapshot). The count sets how many resume points the client may name (see {@code RequestHandler}). A hash collision makes a run that began after the summary look listed, so it gets a
 * snapshot as it would without this rule; the chance is about one in 2<sup>64</sup> / {@value
 * #MAX_RUNS}.
 */
final class ListedRuns {

    /** The most runs of one summary that are remembered. */
    static final int MAX_RUNS = 4096;

    /** No summary was sent on this connection. */
    static final ListedRuns NONE = new ListedRuns(null, 0);

    /** Sorted hashes of the listed run ids; null for {@link #NONE} and a summary over {@link #MAX_RUNS}. */
    private final long[] hashes;

    /** How many runs the summary listed (also when they were too many to remember). */
    private final int count;

    private ListedRuns(long[] hashes, int count) {
        this.hashes = hashes;
        this.count = count;
    }

    /**
     * The runs of a summary listing {@code runIds}; when they are more than {@link #MAX_RUNS} only
     * their {@link #count()} is kept and no run {@linkplain #beganAfter began after} it.
     */
    static ListedRuns of(Collection<String> runIds) {
        return of(runIds, MAX_RUNS);
    }

    static ListedRuns of(Collection<String> runIds, int maxRuns) {
        if (runIds.size() > maxRuns) {
            return new ListedRuns(null, runIds.size());
        }
        long[] h = new long[runIds.size()];
        int i = 0;
        for (String id : runIds) {
            h[i++] = hash(id);
        }
        Arrays.sort(h);
        return new ListedRuns(h, h.length);
    }

    /** How many runs the summary listed; 0 for {@link #NONE}. */
    int count() {
        return count;
    }

    /**
     * True when a summary was sent and did not list {@code runId}: the run began after it (or was
     * unknown to the server then), so the client cannot have a resume point for it.
     */
    boolean beganAfter(String runId) {
        return hashes != null && Arrays.binarySearch(hashes, hash(runId)) < 0;
    }

    /** FNV-1a over the id's chars, then SplitMix64's finalizer to spread the bits. */
    private static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
