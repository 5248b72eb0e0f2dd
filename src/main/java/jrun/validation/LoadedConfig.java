package jrun.validation;

import java.nio.file.Path;
import java.util.List;

import jrun.json.JsonValue;

/**
 * A bundle's config.json that passed validation. {@code tree} is the parsed document, to be
 * mapped by hand (see jrun.spec); {@code warnings} are problems that do not stop the container,
 * such as deprecated relative mount destinations, for the caller to log.
 */
public record LoadedConfig(Path bundle, Path configFile, JsonValue tree, List<Problem> warnings) {
    public LoadedConfig {
        warnings = List.copyOf(warnings);
    }

    public LoadedConfig(Path bundle, Path configFile, JsonValue tree) {
        this(bundle, configFile, tree, List.of());
    }

    /** root.path resolved against the bundle, as the spec says a relative path is. */
    public Path rootfs() {
        return bundle.resolve(tree.path("root").path("path").asString(""));
    }
}
