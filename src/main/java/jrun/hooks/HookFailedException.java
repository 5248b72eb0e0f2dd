package jrun.hooks;

import jrun.base.JrunException;

/** A hook that could not run or did not succeed; the message names it and says why. */
public final class HookFailedException extends JrunException {
    private final HookPhase phase;
    private final int index;

    public HookFailedException(HookPhase phase, int index, String message) {
        super(message);
        this.phase = phase;
        this.index = index;
    }

    public HookPhase phase() {
        return phase;
    }

    /** The hook's index in its phase's array. */
    public int index() {
        return index;
    }
}
