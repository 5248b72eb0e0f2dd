package jrun.process;

import java.util.function.Consumer;
import jrun.base.JrunException;
import jrun.base.Timing;

/**
 * How often a launch forks again after its child froze in the JVM ({@link ChildHungException}):
 * the one rule for the init's launch and for a process joining a container. A plain counter, so
 * that callers keep a plain loop on the create path.
 */
public final class ForkAttempts {
    private static final int MAX_ATTEMPTS = 3;

    /**
     * Where every frozen child is reported, or null: a long-lived process (the shim) logs them, so
     * that a stress run can count them; a JIT configuration is only shown safe by a count of 0.
     */
    private static volatile Consumer<String> frozenChildLog;

    private int attempt;

    /** Reports each frozen child to {@code log} from now on (one sink per JVM: the last one set). */
    public static void logFrozenChildren(Consumer<String> log) {
        frozenChildLog = log;
    }

    /** Records a hung child; throws once that was the last attempt, else the caller forks again. */
    public void hung(ChildHungException e) {
        attempt++;
        Timing.mark("attempt " + attempt + ": " + e.getMessage());
        Consumer<String> log = frozenChildLog;
        if (log != null) {
            log.accept(e.getMessage() + " (attempt " + attempt + " of " + MAX_ATTEMPTS + ")");
        }
        if (attempt == MAX_ATTEMPTS) {
            throw new JrunException(e.getMessage() + ", " + attempt + " times in a row");
        }
    }
}
