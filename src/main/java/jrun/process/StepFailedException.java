package jrun.process;

import jrun.base.JrunException;

/** The container's init reported that one step of its set-up failed, with errno. */
public final class StepFailedException extends JrunException {
    private final String step;
    private final int errno;

    public StepFailedException(String step, int errno, String message) {
        super(message);
        this.step = step;
        this.errno = errno;
    }

    public String step() {
        return step;
    }

    public int errno() {
        return errno;
    }
}
