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
 * check (a concurrent exec with {@code --cap CAP_SYS_PTRACE}, a host nsenter), and for an
 * init waiting for {@code start}, an exec given more capabilities than the init's.
 */
public final class PtraceReach {
    /** capability.h: bit 19. */
    private static final long CAP_SYS_PTRACE = 1L << 19;

    private PtraceReach() {}

    /**
     * Whether exec's child, joining the init's namespaces {@code joinsUser}/{@code joinsPid}
     * (not jrun's own), can be reached.
     */
    static boolean ofExec(int initPid, ProcessPlan process, boolean joinsUser, boolean joinsPid) {
        if (joinsUser || !joinsPid) {
            // In a user namespace of its own the container has no capability in jrun's; in
            // jrun's pid namespace the host's processes see the child anyway.
            return false;
        }
        return holdsPtrace(process.capabilities()) || anyProcessIn(link(Path.of("/proc", Integer.toString(initPid),
                "ns", "pid")));
    }

    /** Whether the init of {@code plan} can be reached before its execve (it waits for start). */
    public static boolean ofInit(ContainerPlan plan) {
        if (plan.creates(NamespaceKind.USER) || plan.join(NamespaceKind.USER) != null) {
            return false;
        }
        if (holdsPtrace(plan.process().capabilities())) {
            return plan.creates(NamespaceKind.PID) || plan.join(NamespaceKind.PID) != null;
        }
        ContainerPlan.NamespaceJoin pid = plan.join(NamespaceKind.PID);
        return pid != null && anyProcessIn(namespaceOf(Path.of(pid.path())));
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
