package jrun.process;

import jrun.base.JrunException;

/**
 * The forked child froze inside the JVM (a lock or safepoint that was taken in the parent at the
 * instant of the fork) and was killed. Rare, and only a new fork helps: callers retry.
 */
public final class ChildHungException extends JrunException {
    public ChildHungException(int pid) {
        super("the container's init process " + pid + " froze in the JVM right after the fork and was killed");
    }
}
