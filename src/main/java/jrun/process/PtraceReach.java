package jrun.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jrun.base.JrunException;
import jrun.linux.CapabilitySets;
import jrun.linux.ContainerPlan;
import jrun.linux.NamespaceKind;
import jrun.linux.ProcessPlan;
import jrun.sys.ProcFiles;

/**
 * Whether a process of the container could pass the kernel's ptrace access check on jrun's
 * forked child once the child is visible in the container's pid namespace: then the child
 * replaces the host files it maps ({@link HostFileMappings}), which costs milliseconds per
 * child and a copy per JVM, not worth paying where no one can look.
 *
 * <p>Why this condition suffices: /proc/PID/map_files, mem, exe, fd, cwd and root are each
 * guarded by ptrace_may_access (map_files also by CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE in
 * the initial user namespace). The child is not dumpable, so for anyone but jrun itself that
 * check needs CAP_SYS_PTRACE in the user namespace its memory belongs to, which is jrun's:
 * the child's mm is a copy of jrun's and keeps its user namespace even after setns into the
 * container's. A process gets CAP_SYS_PTRACE in jrun's user namespace only if it is in that
 * user namespace with the capability in its bounding set (a process in a user namespace
 * below it has capabilities only there; one whose bounding set lacks it can never gain it).
 * Only processes of the child's pid namespace (and its ancestors', the host's) see the child.
 * So when no process in the container's pid namespace, and not the new process itself, is in
 * jrun's user namespace with CAP_SYS_PTRACE in its bounding set, nothing there can open the
 * child's /proc/PID entries. Not counted: a process that enters the pid namespace after the
 * check (a concurrent exec with {@code --cap CAP_SYS_PTRACE}, a host nsenter).
 *
 * <p>The other way round, a new process holding CAP_SYS_PTRACE must not enter a pid namespace
 * where a child of jrun's still maps the host's files: a created init that could not be
 * reached when it was made (so it kept them) and waits for start, or another exec's child
 * before its execve. {@link #refuseNextToHostMappings} waits a moment for such a child to go
 * and otherwise refuses: an exec given CAP_SYS_PTRACE and CAP_SYS_ADMIN into a created
 * container opened the host's libjvm.so read-write through its init's map_files.
 */
public final class PtraceReach {
    /** capability.h: bit 19. */
    private static final long CAP_SYS_PTRACE = 1L << 19;
    /** How long a new process waits for a child of jrun's that maps the host's files to go. */
    private static final long EXPOSED_WAIT_MS = 2000;
    private static final long EXPOSED_POLL_MS = 20;

    private PtraceReach() {}

    /**
     * Whether exec's child, joining the init's namespaces {@code joinsUser}/{@code joinsPid}
     * (not jrun's own), can be reached. {@code containers}: the process is the container's (not
     * a hook of the runtime's), so it must not come in next to a child of jrun's that still maps
     * the host's files ({@link #refuseNextToHostMappings}).
     */
    static boolean ofExec(int initPid, ProcessPlan process, boolean joinsUser, boolean joinsPid, boolean containers) {
        if (joinsUser || !joinsPid) {
            // In a user namespace of its own the container has no capability in jrun's; in
            // jrun's pid namespace the host's processes see the child anyway.
            return false;
        }
        String pidNamespace = link(Path.of("/proc", Integer.toString(initPid), "ns", "pid"));
        if (holdsPtrace(process.capabilities())) {
            if (containers) {
                refuseNextToHostMappings(pidNamespace, "exec's process");
            }
            return true;
        }
        return anyProcessIn(pidNamespace);
    }

    /** Whether the init of {@code plan} can be reached before its execve (it waits for start). */
    public static boolean ofInit(ContainerPlan plan) {
        if (plan.creates(NamespaceKind.USER) || plan.join(NamespaceKind.USER) != null) {
            return false;
        }
        if (holdsPtrace(plan.process().capabilities())) {
            if (plan.join(NamespaceKind.PID) != null) {
                refuseNextToHostMappings(namespaceOf(Path.of(plan.join(NamespaceKind.PID).path())),
                        "the container's process (config.json /linux/namespaces: pid with a path)");
            }
            return plan.creates(NamespaceKind.PID) || plan.join(NamespaceKind.PID) != null;
        }
        ContainerPlan.NamespaceJoin pid = plan.join(NamespaceKind.PID);
        return pid != null && anyProcessIn(namespaceOf(Path.of(pid.path())));
    }

    /**
     * Throws when a process of {@code pidNamespace} still maps the file of jrun's own libjvm.so
     * (a child of jrun's before its execve, which kept the host's files because no process
     * could reach it when it was made) and does not go within a moment.
     */
    static void refuseNextToHostMappings(String pidNamespace, String newcomer) {
        String jvm = ownJvmFile();
        if (jvm == null) {
            return;
        }
        long deadline = System.nanoTime() + EXPOSED_WAIT_MS * 1_000_000;
        while (true) {
            int exposed = firstMapping(pidNamespace, jvm);
            if (exposed < 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new JrunException(newcomer + " holds CAP_SYS_PTRACE in jrun's user namespace, and process "
                        + exposed + " of the pid namespace it would enter is still a child of jrun's that maps the "
                        + "host's files (a created container's init waiting for start, or another exec's process "
                        + "before its execve): through its /proc/PID/map_files the new process could open them "
                        + "read-write. Start the container first, or drop CAP_SYS_PTRACE");
            }
            try {
                Thread.sleep(EXPOSED_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JrunException("interrupted while waiting for jrun's child in the pid namespace to go");
            }
        }
    }

    /** The first process of the namespace whose maps name the file {@code devInode}, or -1. */
    private static int firstMapping(String pidNamespace, String devInode) {
        List<Integer> pids;
        try {
            pids = ProcFiles.pidsInNamespace(pidNamespace);
        } catch (IOException e) {
            throw new JrunException("cannot list the processes of " + pidNamespace + ": " + e.getMessage(), e);
        }
        for (int pid : pids) {
            try {
                if (mapsFile(ProcFiles.read(Path.of("/proc", Integer.toString(pid), "maps")), devInode)) {
                    return pid;
                }
            } catch (IOException e) {
                // gone meanwhile
            }
        }
        return -1;
    }

    /** "DEV INODE" of the file behind jrun's libjvm.so mappings (e.g. "fe:00 328747"), null if none. */
    private static String ownJvmFile() {
        try {
            for (String line : ProcFiles.read(Path.of("/proc/self/maps")).split("\n")) {
                if (line.endsWith("/libjvm.so")) {
                    String[] f = line.split("\\s+");
                    return f[3] + " " + f[4];
                }
            }
        } catch (IOException e) {
            throw new JrunException("cannot read /proc/self/maps: " + e.getMessage(), e);
        }
        return null;
    }

    /** Whether a /proc/PID/maps text has a mapping of the file {@code devInode} ("DEV INODE"). */
    static boolean mapsFile(String maps, String devInode) {
        for (String line : maps.split("\n")) {
            String[] f = line.split("\\s+", 6);
            if (f.length >= 5 && (f[3] + " " + f[4]).equals(devInode)) {
                return true;
            }
        }
        return false;
    }

    /** Null capabilities: the process keeps jrun's, all of them. */
    private static boolean holdsPtrace(CapabilitySets caps) {
        return caps == null || (caps.bounding() & CAP_SYS_PTRACE) != 0;
    }

    /**
     * Whether a process in the pid namespace {@code pidNamespace} ("pid:[INODE]") is in jrun's
     * user namespace with CAP_SYS_PTRACE in its bounding set.
     */
    private static boolean anyProcessIn(String pidNamespace) {
        String userNamespace = link(Path.of("/proc/self/ns/user"));
        List<Integer> pids;
        try {
            pids = ProcFiles.pidsInNamespace(pidNamespace);
        } catch (IOException e) {
            return true;
        }
        for (int pid : pids) {
            try {
                Path proc = Path.of("/proc", Integer.toString(pid));
                if (Files.readSymbolicLink(proc.resolve("ns/user")).toString().equals(userNamespace)
                        && (boundingSet(ProcFiles.read(proc.resolve("status"))) & CAP_SYS_PTRACE) != 0) {
                    return true;
                }
            } catch (IOException e) {
                // gone meanwhile
            }
        }
        return false;
    }

    /** CapBnd of a /proc/PID/status; all bits when the line is missing. */
    static long boundingSet(String status) {
        int at = status.indexOf("\nCapBnd:");
        if (at < 0) {
            return -1;
        }
        int end = status.indexOf('\n', at + 1);
        return Long.parseUnsignedLong(status.substring(at + 8, end < 0 ? status.length() : end).strip(), 16);
    }

    /** The pid namespace of a namespace file given by path (a bind mount of nsfs, or /proc/N/ns/pid). */
    private static String namespaceOf(Path file) {
        try {
            return "pid:[" + Files.getAttribute(file, "unix:ino") + "]";
        } catch (IOException | RuntimeException e) {
            throw new JrunException("cannot read the pid namespace " + file + ": " + e.getMessage(), e);
        }
    }

    private static String link(Path file) {
        try {
            return Files.readSymbolicLink(file).toString();
        } catch (IOException e) {
            throw new JrunException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
