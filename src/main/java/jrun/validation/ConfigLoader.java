package jrun.validation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jrun.json.JsonValue;

/**
 * Loads a bundle's config.json: reads it (refusing oversized files), parses it, validates it
 * against the runtime-spec v1.2 schema and {@link SemanticChecks}, and checks the bundle's root
 * filesystem. Every problem is reported, not only the first.
 */
public final class ConfigLoader {
    public static final String CONFIG_FILE = "config.json";
    /** runc's default config is 2.5 KiB and podman's rarely above 20 KiB; 4 MiB is absurd already. */
    public static final long MAX_CONFIG_BYTES = 4L << 20;

    private ConfigLoader() {}

    /**
     * The bundle's valid config.
     *
     * @throws BundleInvalidException listing every problem, one per line of its message
     */
    public static LoadedConfig load(Path bundleDir) {
        return validate(bundleDir).requireValid();
    }

    /** Everything wrong with the bundle, without throwing. */
    public static ValidationReport validate(Path bundleDir) {
        Path bundle = bundleDir.toAbsolutePath().normalize();
        Path configFile = bundle.resolve(CONFIG_FILE);
        if (!Files.isDirectory(bundle)) {
            Problem p = new Problem("bundle", "", bundle + (Files.exists(bundle) ? " is not a directory"
                    : " does not exist") + " (a bundle is a directory holding config.json and the root filesystem)");
            return new ValidationReport(bundle, configFile, null, List.of(p), List.of());
        }
        JsonValue tree;
        try {
            tree = JsonTrees.read(configFile, CONFIG_FILE, MAX_CONFIG_BYTES);
            jrun.cli.Timing.mark("config.json parsed");
        } catch (JsonDocumentException e) {
            return new ValidationReport(bundle, configFile, null, List.of(e.toProblem()), List.of());
        }
        return validateTree(tree, bundle);
    }

    /**
     * Validates an already parsed config. With a {@code bundle}, also checks that its root
     * filesystem exists; with {@code null}, only the document is checked.
     */
    public static ValidationReport validateTree(JsonValue tree, Path bundle) {
        List<Problem> problems = new ArrayList<>(
                SchemaValidator.validate("config-schema.json", tree, CONFIG_FILE));
        jrun.cli.Timing.mark("config.json checked against the schema");
        SemanticChecks.Result semantic = SemanticChecks.check(tree);
        // One message per value: where the schema already objects, its words are the more direct.
        Set<String> flagged = new HashSet<>();
        problems.forEach(p -> flagged.add(p.pointer()));
        semantic.problems().stream().filter(p -> !flagged.contains(p.pointer())).forEach(problems::add);
        if (bundle != null) {
            checkRootfs(tree, bundle, problems);
        }
        DocumentOrder.sort(problems, tree);
        List<Problem> warnings = new ArrayList<>(semantic.warnings());
        DocumentOrder.sort(warnings, tree);
        Path configFile = bundle == null ? null : bundle.resolve(CONFIG_FILE);
        return new ValidationReport(bundle, configFile, tree, problems, warnings);
    }

    private static void checkRootfs(JsonValue tree, Path bundle, List<Problem> problems) {
        JsonValue path = tree.path("root").path("path");
        if (!path.isString() || path.stringValue().isEmpty()) {
            return; // the schema reports it
        }
        Path rootfs = bundle.resolve(path.stringValue());
        String where = path.stringValue().startsWith("/") ? "" : " (looked for " + rootfs + ")";
        if (!Files.exists(rootfs)) {
            problems.add(new Problem(CONFIG_FILE, "/root/path", jrun.cli.Log.quote(path.stringValue())
                    + " does not exist" + where));
        } else if (!Files.isDirectory(rootfs)) {
            problems.add(new Problem(CONFIG_FILE, "/root/path", jrun.cli.Log.quote(path.stringValue())
                    + " is not a directory" + where));
        }
    }
}
