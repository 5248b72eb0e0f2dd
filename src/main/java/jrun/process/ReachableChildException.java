package jrun.process;

import jrun.base.JrunException;

/**
 * Refused before the fork: a process of the container could read the new child's memory
 * ({@link PtraceReach}), and the caller asked not to fork such a child from its own JVM. The
 * containerd shim asks, as its heap holds what it read of the other containers it serves; it
 * then runs a fresh {@code jrun} for that one process instead. Nothing was created yet.
 */
public final class ReachableChildException extends JrunException {
    public ReachableChildException(String what) {
        super(what + " could be read by a process of the container holding CAP_SYS_PTRACE: not forked from a shared JVM");
    }
}
