package jrun.process;

import static jrun.process.CompiledPrograms.assertInOrder;
import static jrun.process.CompiledPrograms.calls;
import static jrun.process.CompiledPrograms.find;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.List;
import jrun.linux.seccomp.SeccompFilter;
import org.junit.jupiter.api.Test;

/**
 * The container's init program, compiled from a config (no root, no fork) and read back as
 * {@link ProgramListing} prints it: which system calls, with which arguments, in which order.
 */
class InitProgramListingTest {
    static final String CONFIG = config("", "\"uid\": 0, \"gid\": 0", "");

    /** A config with three mounts, a masked and a read-only path; {@code root}, {@code user} and {@code linux} add to it. */
    private static String config(String root, String user, String linux) {
        return """
                {"ociVersion": "1.2.0",
                 "process": {"args": ["/bin/sh", "-c", "true"], "env": ["PATH=/bin"], "cwd": "/", "user": {%s},
                             "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"]}},
                 "root": {"path": "rootfs"%s},
                 "hostname": "h",
                 "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"},
                            {"destination": "/data", "type": "bind", "source": "/srv/data", "options": ["rbind", "ro"]},
                            {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "size=1m"]}],
                 "linux": {%s"namespaces": [{"type": "mount"}, {"type": "pid"}, {"type": "uts"}],
                           "maskedPaths": ["/proc/kcore"], "readonlyPaths": ["/proc/sys"]}}
                """.formatted(user, root, linux);
    }

    private static List<String> init(String config, SeccompFilter filter) {
        try (Arena arena = Arena.ofConfined()) {
            return calls(CompiledPrograms.init(arena, CompiledPrograms.plan(config), filter));
        }
    }

    @Test
    void theRootFilesystemIsBuiltInRuncsOrder() {
        List<String> calls = init(CONFIG, null);
        assertInOrder(calls,
                // the tree slave (the default) while the root is set up
                "mount(NULL, \"/\", NULL, MS_REC|MS_SLAVE, NULL)",
                // the rootfs bound onto itself, recursively
                "open_tree(AT_FDCWD, \"/bundles/b/rootfs\", OPEN_TREE_CLONE|AT_RECURSIVE|O_CLOEXEC)",
                "\"\", AT_FDCWD, \"/bundles/b/rootfs\", MOVE_MOUNT_F_EMPTY_PATH)",
                // the config's mounts in its order: proc, never through a symlink in the image
                "fsopen(\"proc\", 0x1)",
                "FSCONFIG_CMD_CREATE",
                "\"/proc\", {flags=O_DIRECTORY|O_CLOEXEC|O_PATH, mode=00, "
                        + "resolve=RESOLVE_NO_MAGICLINKS|RESOLVE_NO_SYMLINKS|RESOLVE_IN_ROOT}",
                "move_mount(",
                // the bind: ro on the bound mount alone (an rbind's submounts stay writable)
                "open_tree(AT_FDCWD, \"/srv/data\", OPEN_TREE_CLONE|AT_RECURSIVE|O_CLOEXEC)",
                "\"\", AT_EMPTY_PATH, {set=RDONLY, clear=0, propagation=0}, 32)",
                "mkdirat(r0, \"data\", 0755), EEXIST ignored",
                "\"/data\", {flags=O_DIRECTORY|O_CLOEXEC|O_PATH, mode=00, resolve=RESOLVE_NO_MAGICLINKS|RESOLVE_IN_ROOT}",
                "move_mount(",
                // the tmpfs: data as fsconfig strings, nosuid as a mount attribute
                "fsopen(\"tmpfs\", 0x1)",
                "FSCONFIG_SET_STRING, \"size\", \"1m\", 0)",
                "FSCONFIG_CMD_CREATE",
                ", 0x1, NOSUID)",
                "\"/tmp\", {flags=O_DIRECTORY",
                "move_mount(",
                // devices, then the /dev links
                "mknodat(r2, \"null\", 020666, 0x103), EEXIST ignored",
                "mknodat(r2, \"tty\", 020666, 0x500), EEXIST ignored",
                "symlinkat(\"/proc/self/fd\", r2, \"fd\")",
                // the host's /dev/null, cloned for masking before the host's tree is gone
                "open_tree(AT_FDCWD, \"/dev/null\", OPEN_TREE_CLONE|O_CLOEXEC)",
                "pivot_root(\".\", \".\")",
                "umount2(\".\", 2)",
                "sethostname(\"h\", 1)",
                // read-only paths, then masked paths, both from the proc mount's fd, beneath it
                "\"sys\", {flags=O_CLOEXEC|O_PATH, mode=00, resolve=RESOLVE_NO_MAGICLINKS|RESOLVE_NO_SYMLINKS|RESOLVE_BENEATH}",
                "\"\", AT_EMPTY_PATH|AT_RECURSIVE, {set=RDONLY|NOSUID|NODEV|NOEXEC, clear=0, propagation=0}, 32)",
                "move_mount(",
                "\"kcore\", {flags=O_DIRECTORY|O_CLOEXEC|O_PATH",
                "execve(r8, [\"/bin/sh\", \"-c\", \"true\"], [\"PATH=/bin\", \"HOME=/\"])");
        assertEquals(-1, find(calls, 0, "chroot("), "pivot_root, not chroot");
    }

    @Test
    void aMaskedDirectoryGetsAReadOnlyTmpfsAndAnythingElseTheHostsDevNull() {
        List<String> calls = init(CONFIG, null);
        int[] at = assertInOrder(calls,
                "\"kcore\", {flags=O_DIRECTORY|O_CLOEXEC|O_PATH",
                "fsopen(\"tmpfs\", 0x1)",
                "fsmount(r4, 0x1, RDONLY)",
                "move_mount(r1, \"\", r2, \"\", MOVE_MOUNT_F_EMPTY_PATH|MOVE_MOUNT_T_EMPTY_PATH)",
                "goto ",
                "\"kcore\", {flags=O_CLOEXEC|O_PATH",
                "move_mount(r13, \"\", r2, \"\", MOVE_MOUNT_F_EMPTY_PATH|MOVE_MOUNT_T_EMPTY_PATH)",
                "close(r13)");
        int devNull = find(calls, "open_tree(AT_FDCWD, \"/dev/null\"");
        assertTrue(calls.get(devNull).endsWith("-> r13"), calls.get(devNull));
        // not a directory: on to the file case; absent: nothing to mask
        assertTrue(calls.get(at[0]).endsWith(", error: goto " + at[5]), calls.get(at[0]));
        assertTrue(calls.get(at[5]).endsWith(", ENOENT: goto " + at[7]), calls.get(at[5]));
        assertEquals("goto " + at[7], calls.get(at[4]), "the directory case skips the file case");
    }

    @Test
    void rootfsPropagationIsPrivateOrSlaveDuringTheSetUpAndSharedOnlyOnceTheRootIsBuilt() {
        assertInOrder(init(config("", "\"uid\": 0, \"gid\": 0", "\"rootfsPropagation\": \"private\", "), null),
                "mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE, NULL)", "open_tree(AT_FDCWD, \"/bundles/b/rootfs\"");
        List<String> shared = init(config("", "\"uid\": 0, \"gid\": 0", "\"rootfsPropagation\": \"shared\", "), null);
        assertInOrder(shared,
                "mount(NULL, \"/\", NULL, MS_REC|MS_SLAVE, NULL)",
                "pivot_root(",
                "\"kcore\"",
                "mount(NULL, \"/\", NULL, MS_SHARED, NULL)",
                "execve(");
    }

    @Test
    void aReadOnlyRootIsMadeSoAfterPivotRootBeforeTheReadOnlyAndMaskedPaths() {
        assertInOrder(init(config(", \"readonly\": true", "\"uid\": 0, \"gid\": 0", ""), null),
                "pivot_root(",
                "mount_setattr(r0, \"\", AT_EMPTY_PATH, {set=RDONLY, clear=0, propagation=0}, 32)",
                "\"sys\", {flags=",
                "\"kcore\", {flags=");
    }

    @Test
    void withoutAMountNamespaceTheRootfsBindIsMadePrivateAndChrootedInto() {
        List<String> calls = init(config("", "\"uid\": 0, \"gid\": 0", "").replace("{\"type\": \"mount\"}, ", ""), null);
        assertEquals(-1, find(calls, 0, "mount(NULL, \"/\""), "the runtime's propagation is left alone");
        assertEquals(-1, find(calls, 0, "pivot_root("));
        assertInOrder(calls,
                "open_tree(AT_FDCWD, \"/bundles/b/rootfs\", OPEN_TREE_CLONE|AT_RECURSIVE|O_CLOEXEC)",
                "move_mount(",
                "\"\", AT_EMPTY_PATH|AT_RECURSIVE, {set=0, clear=0, propagation=MS_PRIVATE}, 32)",
                "chroot(",
                "execve(");
    }

    @Test
    void withoutNoNewPrivilegesTheFilterFollowsFdHygieneGroupsGidAndUidZeroButPrecedesAnotherUidAndTheCapabilities() {
        List<String> calls = init(config("", "\"uid\": 1000, \"gid\": 1000, \"additionalGids\": [5]", ""),
                CompiledPrograms.ALLOW_ALL);
        assertEquals(-1, find(calls, 0, "PR_SET_NO_NEW_PRIVS"));
        assertInOrder(calls,
                "umask(022)",
                "close_range(3, 4294967295, CLOSE_RANGE_CLOEXEC)",
                "fcntl(each of 3..", // the fallback where close_range is refused
                "prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0)",
                "prctl(PR_CAPBSET_DROP, 0, 0, 0, 0)",
                "prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0)",
                "setgroups(1, ",
                "setresgid(1000, 1000, 1000)",
                "seccomp(1, 0, ",
                "setresuid(1000, 1000, 1000)",
                "capset(",
                "write(11, <fe ff ff ff 00 00 00 00>, 8), expect 8", // ready
                "openat(10, \"20\", O_WRONLY|O_CLOEXEC, 00)", // the exec fifo, through the init's own procfs
                "execve(");
        String capset = calls.get(find(calls, "capset("));
        assertTrue(capset.endsWith(", {effective=0x20, permitted=0x20, inheritable=0x0})"), "CAP_KILL (5) only: " + capset);
        List<String> root = init(CONFIG, CompiledPrograms.ALLOW_ALL);
        assertInOrder(root, "setresgid(0, 0, 0)", "setresuid(0, 0, 0)", "seccomp(1, 0, ", "capset(");
    }

    @Test
    void withNoNewPrivilegesTheFilterIsTheLastStepBeforeExecve() {
        List<String> calls = init(config("", "\"uid\": 1000, \"gid\": 1000", "").replace("\"cwd\": \"/\",",
                "\"cwd\": \"/\", \"noNewPrivileges\": true,"), CompiledPrograms.ALLOW_ALL);
        int[] at = assertInOrder(calls,
                "prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)",
                "close_range(3, 4294967295, CLOSE_RANGE_CLOEXEC)",
                "setresuid(1000, 1000, 1000)",
                "capset(",
                "write(11, <fe ff ff ff",
                "write(r1, \"0\", 1), expect 1", // start
                "seccomp(1, 0, ",
                "execve(");
        assertEquals(at[6] + 1, at[7], "nothing between the filter and execve: " + calls);
    }

    @Test
    void theInitKeepsOnlyItsPipesAndTheExecFifoAndClosesEveryOtherFdOfJrun() {
        List<String> calls = init(CONFIG, null);
        // pipes 10 (report's read end: the init's procfs slot) 11 (report) 12 (go), fifo 20
        assertInOrder(calls,
                "close_range(3, 9, 0)", "close(each of 3..9, ",
                "close_range(13, 19, 0)", "close(each of 13..19, ",
                "close_range(21, 4294967295, 0)", "close(each of 21..",
                "execve(");
    }

    @Test
    void runcsDefaultConfigMountsInItsOrderThenDevicesThenPivotRootThenReadOnlyAndMaskedPaths() {
        String config = jrun.spec.SpecWriter.toJson(jrun.spec.DefaultSpec.create(false))
                .replace("\"terminal\": true", "\"terminal\": false");
        List<String> calls = init(config, null);
        assertInOrder(calls,
                "mount(NULL, \"/\", NULL, MS_REC|MS_SLAVE, NULL)",
                "open_tree(AT_FDCWD, \"/bundles/b/rootfs\"",
                "\"/proc\", {flags=O_DIRECTORY",
                "\"/dev\", {flags=O_DIRECTORY",
                "fsopen(\"devpts\"", "\"/dev/pts\", {flags=O_DIRECTORY",
                "\"/dev/shm\", {flags=O_DIRECTORY",
                "fsopen(\"mqueue\"", "\"/dev/mqueue\", {flags=O_DIRECTORY",
                "fsopen(\"sysfs\"", "\"/sys\", {flags=O_DIRECTORY",
                "\"/sys/fs/cgroup\", {flags=O_DIRECTORY",
                "mknodat(r2, \"null\"",
                "symlinkat(\"pts/ptmx\", r2, \"ptmx\")",
                "pivot_root(\".\", \".\")",
                "sethostname(\"runc\", 4)",
                // readonlyPaths, then maskedPaths, each in the config's order
                "\"bus\", {flags=O_CLOEXEC|O_PATH",
                "\"sys\", {flags=O_CLOEXEC|O_PATH",
                "\"sysrq-trigger\", {flags=O_CLOEXEC|O_PATH",
                "\"acpi\", {flags=O_DIRECTORY",
                "\"asound\", {flags=O_DIRECTORY",
                "\"kcore\", {flags=O_DIRECTORY",
                "\"firmware\", {flags=O_DIRECTORY",
                "\"scsi\", {flags=O_DIRECTORY",
                "execve(r8, [\"sh\"]");
    }

    /**
     * An init holding CAP_SYS_PTRACE without a user namespace can be reached through /proc by
     * a process exec'd into it before start: it replaces the host files it maps before it
     * takes the container's identity. Without the capability it does not.
     */
    @Test
    void anInitTheContainerCanReachMapsNoHostFileOnceSetUp() {
        String ptrace = CONFIG.replace("\"bounding\": [\"CAP_KILL\"]", "\"bounding\": [\"CAP_KILL\", \"CAP_SYS_PTRACE\"]");
        List<String> calls = init(ptrace, null);
        assertInOrder(calls, "pivot_root(", "mmap(", "process_vm_readv(", "mremap(", "munmap(",
                "prctl(PR_SET_MM", "close_range(3, 4294967295, CLOSE_RANGE_CLOEXEC)", "setresuid(", "execve(");
        assertEquals(-1, find(init(CONFIG, null), 0, "mremap("), "no CAP_SYS_PTRACE: nothing replaced");
        String userns = ptrace.replace("\"namespaces\": [", "\"uidMappings\": [{\"containerID\": 0, \"hostID\": 1000, "
                + "\"size\": 1}], \"gidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}], "
                + "\"namespaces\": [{\"type\": \"user\"}, ");
        assertEquals(-1, find(init(userns, null), 0, "mremap("), "in a user namespace: nothing replaced");
    }
}
