package jrun.process;

import jrun.base.JrunException;
import jrun.base.Timing;

/**
 * How often a launch forks again after its child froze in the JVM ({@link ChildHungException}):
 * the one rule for the init's launch and for a process joining a container. A plain counter, so
 * that callers keep a plain loop on the create path.
 */
public final class ForkAttempts {
    private static final int MAX_ATTEMPTS = 3;

    private int attempt;

    /** Records a hung child; throws once that was the last attempt, else the caller forks again. */
    public void hung(ChildHungException e) {
        attempt++;
        Timing.mark("attempt " + attempt + ": " + e.getMessage());
        if (attempt == MAX_ATTEMPTS) {
            throw new JrunException(e.getMessage() + ", " + attempt + " times in a row");
        }
    }
}
