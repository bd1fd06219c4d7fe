package dev.progresstracker.dynamodb.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Which writer owns which sequence numbers of a run: {@code id:firstSeq} entries, one per writer
 * that took the run over (a new process resuming it), kept in the run item. Event items carry their
 * writer's id in the sort key, so a writer that lost the run (or crashed before committing) leaves
 * items no reader will take: the owner of sequence s is the last entry whose firstSeq ≤ s.
 */
public record WriterHistory(List<String> ids, List<Long> firstSeqs) {

    /** Entries beyond this are dropped from the front (their events then read as expired). */
    static final int MAX_ENTRIES = 200;

    public static final WriterHistory EMPTY = new WriterHistory(List.of(), List.of());

    public WriterHistory {
        ids = List.copyOf(ids);
        firstSeqs = List.copyOf(firstSeqs);
    }

    public static WriterHistory parse(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return EMPTY;
        }
        List<String> ids = new ArrayList<>();
        List<Long> firsts = new ArrayList<>();
        for (String entry : encoded.split(",")) {
            int colon = entry.indexOf(':');
            ids.add(entry.substring(0, colon));
            firsts.add(Long.parseLong(entry.substring(colon + 1)));
        }
        return new WriterHistory(ids, firsts);
    }

    public String encode() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(ids.get(i)).append(':').append(firstSeqs.get(i));
        }
        return b.toString();
    }

    /** The writer of sequence {@code seq}, or null if it predates every entry. */
    public String owner(long seq) {
        for (int i = ids.size() - 1; i >= 0; i--) {
            if (firstSeqs.get(i) <= seq) {
                return ids.get(i);
            }
        }
        return null;
    }

    public WriterHistory with(String id, long firstSeq) {
        List<String> i = new ArrayList<>(ids);
        List<Long> f = new ArrayList<>(firstSeqs);
        i.add(id);
        f.add(firstSeq);
        if (i.size() > MAX_ENTRIES) {
            i.remove(0);
            f.remove(0);
        }
        return new WriterHistory(i, f);
    }
}
