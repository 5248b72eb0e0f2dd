package jrun.spec;

import java.util.List;
import java.util.Map;
import jrun.json.JsonValue;

/**
 * A container configuration, the content of a bundle's config.json. See the package
 * documentation for how absent, numeric and unknown fields are represented.
 *
 * @param ociVersion the runtime-spec version the bundle was written for
 * @param process the container process; null when absent (allowed until {@code start})
 * @param annotations arbitrary metadata, in file order
 * @param linux the Linux section; null when absent
 * @param extra unknown top-level fields, including other platforms' sections
 */
public record Spec(String ociVersion, ProcessSpec process, Root root, String hostname, String domainname,
                   List<Mount> mounts, Hooks hooks, Map<String, String> annotations, Linux linux,
                   Map<String, JsonValue> extra) {
    public Spec {
        mounts = Immutable.list(mounts);
        annotations = Immutable.map(annotations);
        extra = Immutable.map(extra);
    }
}
