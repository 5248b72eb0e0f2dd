package jrun.process;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;
import jrun.json.JsonReader;
import jrun.linux.ContainerPlan;
import jrun.linux.ContainerPlanner;
import jrun.linux.HostFacts;
import jrun.linux.seccomp.SeccompFilter;
import jrun.spec.SpecReader;
import org.junit.jupiter.api.Test;

/**
 * Where the container's seccomp filter falls among the init's and exec's steps (compiled, not
 * run): jrun's own fd hygiene always before it; without no_new_privs as late as the identity
 * change allows (after groups and gid, after uid 0, before another uid and the capabilities);
 * with it, after the wait for start.
 */
class SeccompPlacementTest {
    private static final Path BUNDLE = Path.of("/bundles/b");
    /** Allows everything: its content does not matter to the order. */
    private static final SeccompFilter FILTER = new SeccompFilter(new byte[] {6, 0, 0, 0, 0, 0, (byte) 0xff, 0x7f}, 0,
            null, null);

    private static final HostFacts HOST = new HostFacts() {
        @Override
        public boolean isDirectory(String hostPath) {
            return hostPath.equals("/bundles/b/rootfs");
        }

        @Override
        public boolean exists(String hostPath) {
            return isDirectory(hostPath);
        }

        @Override
        public String readRootfsFile(String rootfs, String path) {
            return null;
        }

        @Override
        public CgroupLayout cgroupLayout() {
            return new CgroupLayout(true, List.of(), null);
        }
    };

    private static ContainerPlan plan(boolean noNewPrivileges, int uid) throws JsonReader.SyntaxError {
        String json = """
                {"ociVersion": "1.2.0",
                 "process": {"args": ["/bin/sh"], "cwd": "/", "user": {"uid": %d, "gid": %d}, "noNewPrivileges": %b,
                             "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"],
                                              "permitted": ["CAP_KILL"]}},
                 "root": {"path": "rootfs"},
                 "linux": {"namespaces": [{"type": "mount"}, {"type": "pid"}]}}
                """.formatted(uid, uid, noNewPrivileges);
        return new ContainerPlanner(HOST).plan(SpecReader.read(JsonReader.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8))), BUNDLE, false);
    }

    private static List<String> initSteps(boolean noNewPrivileges, int uid) throws JsonReader.SyntaxError {
        try (Arena arena = Arena.ofConfined()) {
            InitProgram.Options options = new InitProgram.Options(20, new ProcessSetup.Launch(0, FILTER, -1, List.of(), -1),
                    false);
            return InitProgram.compile(arena, new ChildLauncher.Pipes(10, 11, 12, 13), plan(noNewPrivileges, uid), options,
                    List.of()).steps();
        }
    }

    private static List<String> execSteps(boolean noNewPrivileges, int uid) throws JsonReader.SyntaxError {
        try (Arena arena = Arena.ofConfined()) {
            ExecProgram.Options options = new ExecProgram.Options(List.of(), 30,
                    new ProcessSetup.Launch(0, FILTER, -1, List.of(), -1), new int[0], "config.json", false, List.of());
            return ExecProgram.compile(arena, new ChildLauncher.Pipes(10, 11, 12, 13), plan(noNewPrivileges, uid).process(),
                    options).steps();
        }
    }

    private static int at(List<String> steps, String prefix) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no step \"" + prefix + "\" in " + steps);
    }

    private static void assertBefore(List<String> steps, String first, String then) {
        assertTrue(at(steps, first) < at(steps, then), first + " before " + then + ": " + steps);
    }

    @Test
    void withoutNoNewPrivilegesOnlyTheUidAndCapabilityChangeComeAfterTheFilter() throws Exception {
        for (List<String> steps : List.of(initSteps(false, 1000), execSteps(false, 1000))) {
            assertBefore(steps, "mark the file descriptors", "load the seccomp filter");
            assertBefore(steps, "set the umask", "load the seccomp filter");
            assertBefore(steps, "clear the parent-death signal", "load the seccomp filter");
            assertBefore(steps, "drop capabilities from the bounding set", "load the seccomp filter");
            assertBefore(steps, "set the supplementary groups", "load the seccomp filter");
            assertBefore(steps, "set the group id 1000", "load the seccomp filter");
            assertBefore(steps, "load the seccomp filter", "set the user id 1000");
            assertBefore(steps, "set the user id 1000", "set the capabilities");
            assertTrue(steps.get(at(steps, "set the capabilities")).contains("under the container's seccomp filter"),
                    "a failure there names the filter: " + steps);
            assertTrue(!steps.get(at(steps, "set the group id")).contains("seccomp"), steps.toString());
        }
    }

    @Test
    void uidZeroIsSetBeforeTheFilterToo() throws Exception {
        for (List<String> steps : List.of(initSteps(false, 0), execSteps(false, 0))) {
            assertBefore(steps, "set the user id 0", "load the seccomp filter");
            assertBefore(steps, "load the seccomp filter", "set the capabilities");
        }
    }

    @Test
    void withNoNewPrivilegesTheFilterComesLast() throws Exception {
        List<String> steps = initSteps(true, 1000);
        assertBefore(steps, "set the capabilities", "load the seccomp filter");
        assertBefore(steps, "wait for start on the exec fifo", "load the seccomp filter");
        assertBefore(steps, "load the seccomp filter", "exec /bin/sh");
    }
}
