package jrun.spec;

import java.util.Map;
import jrun.json.JsonValue;

/** A range of user or group ids: {@code size} ids from {@code containerID} map to {@code hostID}. */
public record IdMapping(long containerID, long hostID, long size, Map<String, JsonValue> extra) {
    public IdMapping {
        extra = Immutable.map(extra);
    }

    public IdMapping(long containerID, long hostID, long size) {
        this(containerID, hostID, size, Map.of());
    }
}
