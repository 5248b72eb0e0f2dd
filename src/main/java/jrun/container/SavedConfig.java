package jrun.container;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jrun.json.JsonValue;
import jrun.spec.Spec;
import jrun.spec.SpecReader;
import jrun.state.StateStore;
import jrun.validation.ConfigLoader;
import jrun.validation.JsonTrees;

/**
 * The container's config as {@code create} validated it, kept in its state directory: {@code exec}
 * starts from this process and seccomp profile, as runc does from the config in its state, not
 * from whatever the bundle's config.json says by then (it may have changed or gone). It also
 * spares {@code exec} validating the bundle again.
 */
public final class SavedConfig {
    static final String FILE = "config.json";

    private SavedConfig() {}

    static void save(StateStore store, String id, JsonValue config) {
        store.saveFile(id, FILE, config.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The config saved by create; for a container created by a jrun that saved none, the
     * bundle's config.json, validated again.
     */
    public static Spec load(Path containerDir, Path bundle) {
        Path file = containerDir.resolve(FILE);
        if (!Files.exists(file)) {
            return SpecReader.read(ConfigLoader.load(bundle).tree());
        }
        return SpecReader.read(JsonTrees.read(file, file.toString(), ConfigLoader.MAX_CONFIG_BYTES), file.toString());
    }
}
