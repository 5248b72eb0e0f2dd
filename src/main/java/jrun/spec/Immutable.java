package jrun.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Defensive copies for record components: null becomes empty, and maps keep their order. */
final class Immutable {
    private Immutable() {}

    static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    static <V> Map<String, V> map(Map<String, V> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        // Map.copyOf would lose the order, and the writer must write entries back as they were read.
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
