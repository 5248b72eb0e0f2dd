package jrun.process;

import static jrun.sys.Kernel.FSCONFIG_SET_FD;
import static jrun.sys.Kernel.FSOPEN_CLOEXEC;
import static jrun.sys.Kernel.O_CLOEXEC;
import static jrun.sys.Kernel.O_RDONLY;

import java.lang.foreign.Arena;
import jrun.base.JrunException;
import jrun.linux.ContainerPlan;
import jrun.linux.NamespaceKind;
import jrun.sys.NativeCopy;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * Joining a pid namespace by path. setns(CLONE_NEWPID) changes only the namespace of the caller's
 * future children. Where it can, a container's init does its set-up outside the namespace and
 * forks the process that enters it once nothing of the host is left in it, as exec's child does
 * ({@link #forkedIntoAtTheEnd}): a process of the namespace holding CAP_SYS_PTRACE would
 * otherwise reach jrun's JVM copy, its root, fds and capabilities, during the whole set-up
 * (issue 16). Where it cannot, the forking thread enters the namespace for the duration of the
 * fork (a per-thread change, allowed in a multithreaded JVM) and returns to its own afterwards.
 */
final class PidNamespaceEntry implements AutoCloseable {
    /** Whether procfs takes the "pidns" option (Linux 6.15): null until asked. */
    private static Boolean procfsTakesPidNamespace;

    private final int original;

    private PidNamespaceEntry(int original) {
        this.original = original;
    }

    /** Enters the plan's pid namespace for this thread's children; a no-op entry when it joins none. */
    static PidNamespaceEntry enter(ContainerPlan plan) {
        ContainerPlan.NamespaceJoin join = plan.join(NamespaceKind.PID);
        if (join == null || forkedIntoAtTheEnd(plan)) {
            return none();
        }
        return enter(join.path(), "config.json " + join.pointer());
    }

    /**
     * Whether the init joins the plan's pid namespace only through the process it forks at the
     * end of its set-up (InitProgram, ChildLauncher.emitForkVisible). Its procfs mounts, made
     * from outside the namespace, must still show it: that needs procfs's "pidns" option, which
     * older kernels lack (procfs otherwise takes the mounting process's own pid namespace). The
     * child enters the pid namespace with setns itself, which a user namespace it created
     * cannot do (its namespaces belong to the host's): there, too, the init is born inside.
     */
    static boolean forkedIntoAtTheEnd(ContainerPlan plan) {
        return plan.join(NamespaceKind.PID) != null && !plan.creates(NamespaceKind.USER) && procfsTakesPidNamespace();
    }

    private static synchronized boolean procfsTakesPidNamespace() {
        if (procfsTakesPidNamespace == null) {
            try (Arena arena = Arena.ofConfined()) {
                long fs = Sys.attempt(SyscallNr.FSOPEN, NativeCopy.cString(arena, "proc").address(), FSOPEN_CLOEXEC);
                long own = Sys.attempt(SyscallNr.OPENAT, -100,
                        NativeCopy.cString(arena, "/proc/thread-self/ns/pid").address(), O_RDONLY | O_CLOEXEC);
                procfsTakesPidNamespace = fs >= 0 && own >= 0 && Sys.attempt(SyscallNr.FSCONFIG, fs, FSCONFIG_SET_FD,
                        NativeCopy.cString(arena, "pidns").address(), 0, own) == 0;
                for (long fd : new long[] {fs, own}) {
                    if (fd >= 0) {
                        Sys.attempt(SyscallNr.CLOSE, fd);
                    }
                }
            }
        }
        return procfsTakesPidNamespace;
    }

    static PidNamespaceEntry none() {
        return new PidNamespaceEntry(-1);
    }

    /** Enters the pid namespace at {@code path}; {@code origin} names where it was asked for. */
    static PidNamespaceEntry enter(String path, String origin) {
        try (Arena arena = Arena.ofConfined()) {
            int own = (int) Sys.call("open this thread's pid namespace", SyscallNr.OPENAT, -100,
                    NativeCopy.cString(arena, "/proc/thread-self/ns/pid").address(), O_RDONLY | O_CLOEXEC);
            int target;
            try {
                target = (int) Sys.call("open the pid namespace " + path, SyscallNr.OPENAT, -100,
                        NativeCopy.cString(arena, path).address(), O_RDONLY | O_CLOEXEC);
            } catch (RuntimeException e) {
                Sys.attempt(SyscallNr.CLOSE, own);
                throw new JrunException(origin.replaceFirst("^config.json ", "config.json: ") + ": " + e.getMessage(), e);
            }
            try {
                Sys.call("join the pid namespace " + path + " (" + origin + ")",
                        SyscallNr.SETNS, target, NamespaceKind.PID.cloneFlag());
            } catch (RuntimeException e) {
                Sys.attempt(SyscallNr.CLOSE, own);
                throw new JrunException(e.getMessage(), e);
            } finally {
                Sys.attempt(SyscallNr.CLOSE, target);
            }
            return new PidNamespaceEntry(own);
        }
    }

    @Override
    public void close() {
        if (original >= 0) {
            Sys.call("return to jrun's own pid namespace", SyscallNr.SETNS, original, NamespaceKind.PID.cloneFlag());
            Sys.attempt(SyscallNr.CLOSE, original);
        }
    }
}
