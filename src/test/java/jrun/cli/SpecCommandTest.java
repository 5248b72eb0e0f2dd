package jrun.cli;

import static jrun.json.Jackson.toJsonNode;
import static jrun.json.Jackson.toJsonValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jrun.base.CliException;
import jrun.base.ExitCodes;
import jrun.base.JrunException;
import jrun.base.Log;
import jrun.json.JsonValue;
import jrun.spec.SpecWriter;
import jrun.validation.ConfigLoader;
import jrun.validation.JsonTrees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

class SpecCommandTest {
    private static final String BUSYBOX = "/usr/bin/busybox";

    private static int jrun(String... argv) {
        return Main.run(argv);
    }

    private static void run(String... argv) {
        SpecCommand command = new SpecCommand();
        GlobalOptions global = new GlobalOptions(Path.of(GlobalOptions.DEFAULT_ROOT), null, "text", false, false,
                "auto", Log.stderr());
        command.run(global, Args.parse("spec", command.flags(), List.of(argv)));
    }

    private static JsonValue config(Path file) {
        return JsonTrees.read(file, "config.json", ConfigLoader.MAX_CONFIG_BYTES);
    }

    private static String runc() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/usr/sbin").split(":")) {
            Path p = Path.of(dir, "runc");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    /** Runs a command in {@code dir}; returns its exit code. Output goes to the test's own output. */
    private static int exec(Path dir, String... command) throws IOException, InterruptedException {
        java.lang.Process p = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        return p.exitValue();
    }

    @Test
    void writesConfigJsonIntoTheBundle(@TempDir Path bundle) {
        assertEquals(ExitCodes.OK, jrun("spec", "--bundle", bundle.toString()));
        JsonValue tree = config(bundle.resolve("config.json"));
        assertEquals("1.2.0", tree.get("ociVersion").stringValue());
        assertEquals("sh", tree.path("process").path("args").path(0).stringValue());
        assertTrue(tree.path("process").path("terminal").booleanValue());
    }

    @Test
    void shortBundleFlagAndRootless(@TempDir Path bundle) {
        run("-b", bundle.toString(), "--rootless");
        JsonValue tree = config(bundle.resolve("config.json"));
        assertEquals("user", tree.path("linux").path("namespaces").path(4).path("type").stringValue());
        assertTrue(tree.path("linux").path("uidMappings").path(0).path("hostID").isNumber());
    }

    @Test
    void refusesToOverwriteConfigJson(@TempDir Path bundle) throws IOException {
        Path config = bundle.resolve("config.json");
        Files.writeString(config, "mine");
        JrunException e = assertThrows(JrunException.class, () -> run("--bundle", bundle.toString()));
        assertEquals("File config.json exists. Remove it first", e.getMessage());
        assertEquals(ExitCodes.FAILURE, jrun("spec", "-b", bundle.toString()));
        assertEquals("mine", Files.readString(config));
    }

    @Test
    void refusesAMissingBundleAndPositionalArguments(@TempDir Path dir) {
        Path missing = dir.resolve("missing");
        JrunException e = assertThrows(JrunException.class, () -> run("--bundle", missing.toString()));
        assertEquals("bundle directory " + missing + " does not exist", e.getMessage());
        assertThrows(CliException.class, () -> run("--bundle", dir.toString(), "extra"));
        assertEquals(ExitCodes.USAGE, jrun("spec", "--bundle", dir.toString(), "extra"));
    }

    @Test
    void matchesRuncSpecExceptTheVersion(@TempDir Path dir) throws Exception {
        String runc = runc();
        assumeTrue(runc != null, "runc is not installed: cannot compare with `runc spec`");
        for (boolean rootless : new boolean[] {false, true}) {
            Path ours = Files.createDirectory(dir.resolve("jrun-" + rootless));
            Path theirs = Files.createDirectory(dir.resolve("runc-" + rootless));
            run(rootless ? new String[] {"-b", ours.toString(), "--rootless"} : new String[] {"-b", ours.toString()});
            List<String> runcSpec = new ArrayList<>(List.of(runc, "spec"));
            if (rootless) {
                runcSpec.add("--rootless");
            }
            assertEquals(0, exec(theirs, runcSpec.toArray(String[]::new)));

            // Byte for byte (Go's layout, escaping, field order), but for the version each implements.
            String jrunText = Files.readString(ours.resolve("config.json"));
            String runcText = Files.readString(theirs.resolve("config.json"));
            assertTrue(jrunText.startsWith("{\n\t\"ociVersion\": \"1.2.0\",\n"), jrunText);
            assertEquals(withoutVersion(runcText), withoutVersion(jrunText), "rootless=" + rootless);
        }
    }

    @Test
    void runcRunsJrunsSpec(@TempDir Path dir) throws Exception {
        assumeTrue(!"false".equals(System.getProperty("jrun.it")), "integration tests are off (-Djrun.it=false)");
        String runc = runc();
        assumeTrue(runc != null, "runc is not installed");
        assumeTrue(Files.isExecutable(Path.of(BUSYBOX)), BUSYBOX + " is missing: apt-get install -y busybox-static");
        assumeTrue(Files.isWritable(Path.of("/sys/fs/cgroup")) || "0".equals(uid()), "runc run needs root");

        Path bundle = Files.createDirectory(dir.resolve("bundle"));
        Path bin = Files.createDirectories(bundle.resolve("rootfs/bin"));
        Files.copy(Path.of(BUSYBOX), bin.resolve("busybox"));
        for (String applet : List.of("sh", "true", "false")) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        run("--bundle", bundle.toString());
        Path config = bundle.resolve("config.json");
        String state = dir.resolve("runc-state").toString();
        String id = "jrun-spec-test-" + ProcessHandle.current().pid();

        assertEquals(0, runIn(runc, state, bundle, config, id + "-true", "/bin/true"));
        // A failing command proves that runc really ran the container's process.
        assertEquals(1, runIn(runc, state, bundle, config, id + "-false", "/bin/false"));
    }

    private static int runIn(String runc, String state, Path bundle, Path config, String id, String command)
            throws Exception {
        ObjectNode tree = (ObjectNode) toJsonNode(config(config));
        ObjectNode process = (ObjectNode) tree.get("process");
        process.put("terminal", false);
        process.putArray("args").add(command);
        Files.writeString(config, SpecWriter.pretty(toJsonValue(tree)));
        return exec(bundle, runc, "--root", state, "run", "--bundle", bundle.toString(), id);
    }

    private static String withoutVersion(String config) {
        return config.replaceFirst("\"ociVersion\": \"[^\"]*\"", "\"ociVersion\": VERSION");
    }

    private static String uid() throws IOException {
        return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }
}
