package jrun.spec;

import java.util.List;
import java.util.Map;
import jrun.json.JsonValue;

/**
 * One entry of {@code mounts}. {@code uidMappings}/{@code gidMappings} ask for an idmapped mount.
 *
 * @param options fstab-style options, e.g. {@code nosuid}, {@code rbind}, {@code mode=755}
 */
public record Mount(String destination, String type, String source, List<String> options,
                    List<IdMapping> uidMappings, List<IdMapping> gidMappings, Map<String, JsonValue> extra) {
    public Mount {
        options = Immutable.list(options);
        uidMappings = Immutable.list(uidMappings);
        gidMappings = Immutable.list(gidMappings);
        extra = Immutable.map(extra);
    }

    public Mount(String destination, String type, String source, List<String> options) {
        this(destination, type, source, options, List.of(), List.of(), Map.of());
    }
}
