package jrun.process;

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
 * future children, so the child cannot do it for itself: the forking thread enters the namespace
 * for the duration of the fork (a per-thread change, allowed in a multithreaded JVM) and returns
 * to its own afterwards.
 */
public final class PidNamespaceEntry implements AutoCloseable {

    private final int original;

    private PidNamespaceEntry(int original) {
        this.original = original;
    }

    /** Enters the plan's pid namespace for this thread's children; a no-op entry when it joins none. */
    public static PidNamespaceEntry enter(ContainerPlan plan) {
        ContainerPlan.NamespaceJoin join = plan.join(NamespaceKind.PID);
        if (join == null) {
            return none();
        }
        return enter(join.path(), "config.json " + join.pointer());
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
