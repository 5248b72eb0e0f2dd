package jrun.process;

import static jrun.process.CompiledPrograms.assertInOrder;
import static jrun.process.CompiledPrograms.calls;
import static jrun.process.CompiledPrograms.find;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import jrun.linux.NamespaceKind;
import org.junit.jupiter.api.Test;

/**
 * exec's program, compiled (no root, no fork), with the namespaces to join chosen by
 * {@link ContainerJoin#openJoins} from a fake view of the init's namespaces.
 */
class ExecProgramListingTest {
    /** The init's namespaces: those in {@code shared} are jrun's; the others open as fd 40 + their order. */
    private record FakeNamespaces(Set<NamespaceKind> shared, List<NamespaceKind> opened)
            implements ContainerJoin.InitNamespaces {
        FakeNamespaces(Set<NamespaceKind> shared) {
            this(shared, new ArrayList<>());
        }

        @Override
        public boolean sharedWithJrun(NamespaceKind kind) {
            return shared.contains(kind);
        }

        @Override
        public int open(NamespaceKind kind) {
            opened.add(kind);
            return 40 + opened.size() - 1;
        }
    }

    private static List<String> exec(Set<NamespaceKind> shared, boolean noNewPrivileges) {
        List<ExecProgram.Join> joins = new ArrayList<>();
        ContainerJoin.openJoins(new FakeNamespaces(shared), joins);
        String config = InitProgramListingTest.CONFIG.replace("\"uid\": 0, \"gid\": 0", "\"uid\": 1000, \"gid\": 1000")
                .replace("\"cwd\": \"/\",", "\"cwd\": \"/\", \"noNewPrivileges\": " + noNewPrivileges + ",");
        try (Arena arena = Arena.ofConfined()) {
            return calls(CompiledPrograms.exec(arena, CompiledPrograms.plan(config), CompiledPrograms.ALLOW_ALL, joins));
        }
    }

    @Test
    void theInitsNamespacesAreJoinedUserFirstMountLastThenItsRootIsTaken() {
        FakeNamespaces namespaces = new FakeNamespaces(Set.of(NamespaceKind.NETWORK, NamespaceKind.TIME));
        ContainerJoin.openJoins(namespaces, new ArrayList<>());
        assertEquals(List.of(NamespaceKind.USER, NamespaceKind.PID, NamespaceKind.IPC, NamespaceKind.UTS,
                NamespaceKind.CGROUP, NamespaceKind.MOUNT), namespaces.opened(), "jrun's own network and time are not opened");

        List<String> calls = exec(Set.of(NamespaceKind.NETWORK, NamespaceKind.TIME), false);
        assertInOrder(calls,
                "umask(00)", // before anything is created: the process's umask comes later
                "setns(40, CLONE_NEWUSER)", "close(40)",
                "setns(41, CLONE_NEWPID)", "close(41)",
                "setns(42, CLONE_NEWIPC)", "close(42)",
                "setns(43, CLONE_NEWUTS)", "close(43)",
                "setns(44, CLONE_NEWCGROUP)", "close(44)",
                "setns(45, CLONE_NEWNS)", "close(45)",
                // the init's root (/proc/PID/root), which --no-pivot containers need
                "fchdir(30)", "chroot(\".\")", "close(30)",
                "\"/\", {flags=O_DIRECTORY|O_CLOEXEC|O_PATH, mode=00, resolve=RESOLVE_NO_MAGICLINKS|RESOLVE_IN_ROOT}",
                "fchdir(",
                "execve(");
        assertEquals(-1, find(calls, 0, "CLONE_NEWNET"));
    }

    @Test
    void aPidNamespaceIsEnteredByAProcessForkedOnceTheSetUpHoldsNothingOfTheHost() {
        List<String> calls = exec(Set.of(), false);
        int[] at = assertInOrder(calls,
                "setns(41, CLONE_NEWPID)",
                "close_range(3, 4294967295, CLOSE_RANGE_CLOEXEC)",
                "setresgid(1000, 1000, 1000)",
                "seccomp(1, 0, ",
                "setresuid(1000, 1000, 1000)",
                "capset(",
                // a sibling (CLONE_PARENT: jrun's child), whose pid jrun reads from the record
                "clone(CLONE_PARENT|CLONE_PARENT_SETTID|0x11, 0, ",
                "write(11, <fd ff ff ff", // the forking child reports the fork and waits to be killed
                "fail EINTR",
                "read(12, ", // the new process waits until jrun took it
                "write(11, <fe ff ff ff", // ready
                "execve(");
        assertTrue(calls.get(at[6]).endsWith(", 0: goto " + at[9]), "the new process goes on at the wait: " + calls.get(at[6]));
        assertEquals(-1, find(exec(Set.of(NamespaceKind.PID), false), 0, "clone("), "no pid namespace to enter: no fork");
    }

    @Test
    void execKeepsOnlyItsTwoPipesAndLoadsAFilterUnderNoNewPrivilegesLast() {
        List<String> calls = exec(Set.of(), true);
        // 11 reports, 12 waits for go
        int[] at = assertInOrder(calls,
                "prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)",
                "close_range(3, 10, 0)",
                "close_range(13, 4294967295, 0)",
                "capset(",
                "write(11, <fe ff ff ff",
                "seccomp(1, 0, ",
                "execve(");
        assertEquals(at[5] + 1, at[6], "nothing between the filter and execve");
    }

    /**
     * Where a process of the container could open the child's /proc/PID entries, the child
     * replaces every host file it maps before anything else (charged to jrun's cgroup, not the
     * container's), long before it forks the process that enters the pid namespace: sealed
     * copies for the read-only mappings, anonymous copies moved over the writable ones, the
     * JDK's class image unmapped. Elsewhere it pays nothing for it.
     */
    @Test
    void aChildTheContainerCanReachMapsNoHostFileBeforeItIsVisible() throws Exception {
        List<String> calls;
        List<ExecProgram.Join> joins = new ArrayList<>();
        ContainerJoin.openJoins(new FakeNamespaces(Set.of()), joins);
        try (Arena arena = Arena.ofConfined()) {
            calls = calls(CompiledPrograms.exec(arena, CompiledPrograms.plan(InitProgramListingTest.CONFIG),
                    CompiledPrograms.ALLOW_ALL, joins, true));
        }
        int[] at = assertInOrder(calls,
                "mmap(", "getpid(", "process_vm_readv(r0, ", "mremap(", "munmap(",
                "setns(40, CLONE_NEWUSER)", "close_range(3, 4294967295, CLOSE_RANGE_CLOEXEC)", "clone(CLONE_PARENT", "execve(");
        long sealedCopies = calls.stream().filter(c -> c.startsWith("mmap(") && c.contains(", 0x12, ")).count();
        long anonymousCopies = calls.stream().filter(c -> c.startsWith("mremap(")).count();
        List<HostFileMappings.Mapping> mapped = HostFileMappings.fileMappings(
                java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/maps")),
                java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/exe")).toString(), "");
        long readOnly = mapped.stream().filter(m -> !m.writable() && m.prot() != 0).count();
        long writable = mapped.stream().filter(HostFileMappings.Mapping::writable).count();
        assertTrue(readOnly > 0 && writable > 0, "this JVM maps libraries: " + mapped);
        // the JDK's class image is one of the read-only ones, unmapped instead
        assertEquals(readOnly - 1, sealedCopies, "a sealed copy per read-only mapping: " + calls);
        assertEquals(writable, anonymousCopies, "an anonymous copy per writable mapping: " + calls);
        assertTrue(calls.get(at[4]).startsWith("munmap("), calls.get(at[4]));

        assertEquals(-1, find(exec(Set.of(), false), 0, "mremap("), "unreachable: nothing replaced");
    }
}
