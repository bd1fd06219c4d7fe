package dev.progresstracker.eventbridge;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which components of the tracker-events records the visited events set: a round trip proves a field
 * name only if some event carried a value for it. "Set" means not null, not false, not empty.
 */
final class ComponentCoverage {

    private final Set<String> seen = new TreeSet<>();
    private final Set<String> set = new TreeSet<>();

    void visit(Record r) {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(r);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
            String name = r.getClass().getSimpleName() + "." + c.getName();
            seen.add(name);
            boolean empty = v == null
                    || Boolean.FALSE.equals(v)
                    || v instanceof Map<?, ?> m && m.isEmpty()
                    || v instanceof Collection<?> l && l.isEmpty();
            if (!empty) {
                set.add(name);
            }
            if (v instanceof Record nested) {
                visit(nested);
            }
        }
    }

    void visit(Object event) {
        visit((Record) event);
    }

    /** Components seen on some event but set on none. */
    Set<String> neverSet() {
        Set<String> out = new TreeSet<>(seen);
        out.removeAll(set);
        return out;
    }
}
