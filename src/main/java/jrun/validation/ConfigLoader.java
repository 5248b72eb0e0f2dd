package jrun.validation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jrun.base.Log;
import jrun.base.Timing;
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
            Timing.mark("config.json parsed");
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
        Timing.mark("config.json checked against the schema");
        SemanticChecks.Result semantic = SemanticChecks.check(tree);
        // One message per value: where the schema already objects, its words are the more direct.
        Set<String> flagged = new HashSet<>();
        problems.forEach(p -> flagged.add(p.pointer()));
        semantic.problems().stream().filter(p -> !flagged.contains(p.pointer())).forEach(problems::add);
        if (bundle != null) {
            checkRootfs(tree, bundle, problems);
            checkCreateHooks(tree, problems);
        }
        DocumentOrder.sort(problems, tree);
        List<Problem> warnings = new ArrayList<>(semantic.warnings());
        DocumentOrder.sort(warnings, tree);
        Path configFile = bundle == null ? null : bundle.resolve(CONFIG_FILE);
        return new ValidationReport(bundle, configFile, tree, problems, warnings);
    }

    /** The phases whose hooks create runs, each resolving its path in jrun's mount namespace. */
    private static final String[] CREATE_HOOK_PHASES = {"prestart", "createRuntime", "createContainer"};

    /**
     * The hooks that create will run must be programs it can execute: refused here, before
     * anything exists, rather than by execve once the container is half made (runc fails there:
     * "error running hook #0: fork/exec /x: permission denied"). startContainer's path resolves
     * in the container, and poststart and poststop run later (their failures are warnings): the
     * file may be there by then.
     */
    private static void checkCreateHooks(JsonValue tree, List<Problem> problems) {
        for (String phase : CREATE_HOOK_PHASES) {
            JsonValue hooks = tree.path("hooks").path(phase);
            for (int i = 0; i < hooks.size(); i++) {
                JsonValue path = hooks.path(i).path("path");
                if (!path.isString() || !path.stringValue().startsWith("/") || path.stringValue().indexOf(0) >= 0) {
                    continue; // the schema reports it (a NUL byte: the hook runner)
                }
                String why = notExecutable(Path.of(path.stringValue()));
                if (why != null) {
                    problems.add(new Problem(CONFIG_FILE, "/hooks/" + phase + "/" + i + "/path",
                            Log.quote(path.stringValue()) + " " + why + " (a hook's path must be an executable file)"));
                }
            }
        }
    }

    private static String notExecutable(Path file) {
        if (!Files.exists(file)) {
            return "does not exist";
        }
        if (!Files.isRegularFile(file)) {
            return "is not a regular file";
        }
        return Files.isExecutable(file) ? null : "is not executable";
    }

    private static void checkRootfs(JsonValue tree, Path bundle, List<Problem> problems) {
        JsonValue path = tree.path("root").path("path");
        if (!path.isString() || path.stringValue().isEmpty()) {
            return; // the schema reports it
        }
        Path rootfs = bundle.resolve(path.stringValue());
        String where = path.stringValue().startsWith("/") ? "" : " (looked for " + rootfs + ")";
        if (!Files.exists(rootfs)) {
            problems.add(new Problem(CONFIG_FILE, "/root/path", Log.quote(path.stringValue())
                    + " does not exist" + where));
        } else if (!Files.isDirectory(rootfs)) {
            problems.add(new Problem(CONFIG_FILE, "/root/path", Log.quote(path.stringValue())
                    + " is not a directory" + where));
        }
    }
}
