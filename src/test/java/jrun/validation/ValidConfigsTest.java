package jrun.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrun.validation.InvalidConfigCorpusTest.CliRun;

/** Configs that must load: runc's defaults and one using every runtime-spec v1.2 field. */
class ValidConfigsTest {
    @Test
    void runcDefaultSpecLoads(@TempDir Path dir) throws Exception {
        Path bundle = Bundles.runcSpec(dir);
        LoadedConfig config = ConfigLoader.load(bundle);
        assertEquals(bundle.toAbsolutePath().normalize(), config.bundle());
        assertEquals(bundle.resolve("config.json"), config.configFile());
        assertEquals(bundle.resolve("rootfs"), config.rootfs());
        assertEquals("sh", config.tree().path("process").path("args").path(0).asString());
        assertEquals(List.of(), config.warnings());
    }

    @Test
    void runcRootlessSpecLoads(@TempDir Path dir) throws Exception {
        Path bundle = Bundles.runcSpec(dir, "--rootless");
        LoadedConfig config = ConfigLoader.load(bundle);
        assertTrue(config.tree().path("linux").path("uidMappings").isArray());
    }

    @Test
    void maximalConfigUsingEveryFieldLoads(@TempDir Path dir) {
        Path bundle = Bundles.withConfig(dir, Bundles.resource("valid-configs/maximal.json"));
        ValidationReport report = ConfigLoader.validate(bundle);
        assertEquals(List.of(), report.problems());
        assertEquals(List.of(), report.warnings());
        assertEquals("18446744073709551615",
                report.tree().path("process").path("rlimits").path(1).path("hard").bigIntegerValue().toString());
    }

    @Test
    void checkCommandAcceptsRuncSpecAndReportsEachHostItem(@TempDir Path dir) throws Exception {
        Path bundle = Bundles.runcSpec(dir);
        CliRun run = CliRun.of("check", "--bundle", bundle.toString());
        List<String> lines = run.stdout().lines().toList();
        assertEquals("bundle " + bundle + ": config.json is valid", lines.get(0));
        assertEquals("host:", lines.get(1));
        List<String> hostLines = lines.subList(2, lines.size());
        assertTrue(hostLines.stream().allMatch(l -> l.startsWith("ok    ") || l.startsWith("FAIL  ")), run.stdout());
        for (String item : List.of("rootfs", "namespace pid", "namespace mount", "cgroups", "seccomp", "apparmor", "selinux")) {
            assertTrue(hostLines.stream().anyMatch(l -> l.substring(6).startsWith(item + ": ")), item + " missing in\n" + run.stdout());
        }
        boolean anyFail = hostLines.stream().anyMatch(l -> l.startsWith("FAIL"));
        assertEquals(anyFail ? 1 : 0, run.exitCode(), run.stdout());
    }

    static final String RELATIVE_MOUNT_DESTINATION = """
            {"ociVersion": "1.0.2-dev", "root": {"path": "rootfs"},
             "process": {"cwd": "/", "args": ["true"], "user": {"uid": 0, "gid": 0}},
             "mounts": [{"destination": "proc", "type": "proc", "source": "proc"}]}
            """;

    /** A config whose root path is absolute, with unknown fields at the top level and in linux. */
    static String unknownFieldsConfig(Path rootfs) {
        return "{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"" + rootfs + "\"},"
                + " \"futureField\": {\"x\": 1}, \"linux\": {\"netDevices\": {\"eth0\": {}}}}";
    }

    @Test
    void relativeMountDestinationIsOnlyAWarning(@TempDir Path dir) {
        Path bundle = Bundles.withConfig(dir, RELATIVE_MOUNT_DESTINATION);
        LoadedConfig config = ConfigLoader.load(bundle);
        assertEquals(1, config.warnings().size());
        assertTrue(config.warnings().get(0).toString().startsWith(
                "config.json: /mounts/0/destination: \"proc\" is a relative path; runtime-spec deprecates those"),
                config.warnings().toString());
        CliRun run = CliRun.of("check", "--bundle", bundle.toString());
        assertTrue(run.stdout().contains("\nwarning: config.json: /mounts/0/destination: "), run.stdout());
    }

    /** The runtime-spec: an unknown capability MUST be logged as a warning, and SHOULD NOT fail. */
    @Test
    void unknownCapabilityIsOnlyAWarning(@TempDir Path dir) {
        Path bundle = Bundles.withConfig(dir, """
                {"ociVersion": "1.2.0", "root": {"path": "rootfs"},
                 "process": {"cwd": "/", "args": ["true"], "user": {"uid": 0, "gid": 0},
                             "capabilities": {"bounding": ["CAP_KILL", "CAP_NOT_A_CAPABILITY"]}}}
                """);
        LoadedConfig config = ConfigLoader.load(bundle);
        assertEquals(List.of(new Problem("config.json", "/process/capabilities/bounding/1",
                "unknown capability \"CAP_NOT_A_CAPABILITY\", not granted")), config.warnings());
    }

    @Test
    void absoluteRootPathAndUnknownFieldsAreAccepted(@TempDir Path dir) {
        Path rootfs = dir.resolve("elsewhere");
        Bundles.withConfig(dir, unknownFieldsConfig(rootfs));
        ValidationReport missing = ConfigLoader.validate(dir);
        assertEquals(List.of(new Problem("config.json", "/root/path", "\"" + rootfs + "\" does not exist")),
                missing.problems());
        rootfs.toFile().mkdir();
        assertEquals(rootfs, ConfigLoader.load(dir).rootfs());
    }
}
