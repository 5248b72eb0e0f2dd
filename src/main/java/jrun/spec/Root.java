package jrun.spec;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The container's root filesystem: {@code path} is absolute or relative to the bundle. */
public record Root(String path, boolean readonly, Map<String, JsonNode> extra) {
    public Root {
        extra = Immutable.map(extra);
    }

    public Root(String path, boolean readonly) {
        this(path, readonly, Map.of());
    }
}
