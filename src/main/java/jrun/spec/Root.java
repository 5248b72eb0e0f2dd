package jrun.spec;

import java.util.Map;
import jrun.json.JsonValue;

/** The container's root filesystem: {@code path} is absolute or relative to the bundle. */
public record Root(String path, boolean readonly, Map<String, JsonValue> extra) {
    public Root {
        extra = Immutable.map(extra);
    }

    public Root(String path, boolean readonly) {
        this(path, readonly, Map.of());
    }
}
