package jrun.process;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.List;
import jrun.linux.ContainerPlan;
import org.junit.jupiter.api.Test;

/**
 * Where the container's seccomp filter falls among the init's and exec's steps (compiled, not
 * run): jrun's own fd hygiene always before it; without no_new_privs as late as the identity
 * change allows (after groups and gid, after uid 0, before another uid and the capabilities);
 * with it, after the wait for start.
 */
class SeccompPlacementTest {
    private static ContainerPlan plan(boolean noNewPrivileges, int uid) {
        return CompiledPrograms.plan("""
                {"ociVersion": "1.2.0",
                 "process": {"args": ["/bin/sh"], "cwd": "/", "user": {"uid": %d, "gid": %d}, "noNewPrivileges": %b,
                             "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"],
                                              "permitted": ["CAP_KILL"]}},
                 "root": {"path": "rootfs"},
                 "linux": {"namespaces": [{"type": "mount"}, {"type": "pid"}]}}
                """.formatted(uid, uid, noNewPrivileges));
    }

    private static List<String> initSteps(boolean noNewPrivileges, int uid) {
        try (Arena arena = Arena.ofConfined()) {
            return CompiledPrograms.init(arena, plan(noNewPrivileges, uid), CompiledPrograms.ALLOW_ALL).steps();
        }
    }

    private static List<String> execSteps(boolean noNewPrivileges, int uid) {
        try (Arena arena = Arena.ofConfined()) {
            return CompiledPrograms.exec(arena, plan(noNewPrivileges, uid), CompiledPrograms.ALLOW_ALL, List.of()).steps();
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
