package dev.progresstracker.callbacks.internal;

import dev.progresstracker.callbacks.ListenerStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The registered listeners of a callback manager, in registration order, each under a name no other
 * has. Copy on write: {@link #all()} is a lock-free read for the publishing thread; adding and
 * removing take this object's lock (the manager may hold its own first, never the other way).
 */
public final class SlotList {

    private static final ListenerSlot[] NONE = new ListenerSlot[0];

    private volatile ListenerSlot[] slots = NONE;

    /** The slots now, in registration order; the array is never changed afterwards. */
    public ListenerSlot[] all() {
        return slots;
    }

    /** Appends the slot {@code create} makes for a free name: {@code base}, else {@code base#2}, {@code #3}, … */
    public synchronized ListenerSlot add(String base, Function<String, ListenerSlot> create) {
        Set<String> taken = new HashSet<>();
        for (ListenerSlot s : slots) {
            taken.add(s.name());
        }
        String name = base;
        for (int i = 2; taken.contains(name); i++) {
            name = base + "#" + i;
        }
        ListenerSlot slot = create.apply(name);
        ListenerSlot[] next = Arrays.copyOf(slots, slots.length + 1);
        next[next.length - 1] = slot;
        slots = next;
        return slot;
    }

    /** Removes {@code slot}; false if it was not (or no longer) listed. */
    public synchronized boolean remove(ListenerSlot slot) {
        ListenerSlot[] cur = slots;
        for (int i = 0; i < cur.length; i++) {
            if (cur[i] == slot) {
                ListenerSlot[] next = new ListenerSlot[cur.length - 1];
                System.arraycopy(cur, 0, next, 0, i);
                System.arraycopy(cur, i + 1, next, i, cur.length - i - 1);
                slots = next;
                return true;
            }
        }
        return false;
    }

    /** Events not yet handled, by listener name, for the listeners that have any. */
    public Map<String, Long> pending() {
        Map<String, Long> pending = new LinkedHashMap<>();
        for (ListenerSlot s : slots) {
            if (s.pending() > 0) {
                pending.put(s.name(), s.pending());
            }
        }
        return pending;
    }

    /** Counters of every listener, in registration order. */
    public List<ListenerStats> stats() {
        List<ListenerStats> out = new ArrayList<>();
        for (ListenerSlot s : slots) {
            out.add(s.stats());
        }
        return out;
    }
}
