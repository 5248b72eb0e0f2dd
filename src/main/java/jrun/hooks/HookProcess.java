package jrun.hooks;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/** A started hook, as {@link HookRunner} drives it: feed stdin, drain output, wait, kill. */
public interface HookProcess {
    /** The hook's stdin; the runner writes the state JSON and closes it. */
    OutputStream stdin();

    /** The hook's stdout; the runner drains it (so the hook never blocks on a full pipe). */
    InputStream stdout();

    /** The hook's stderr; the runner drains it and keeps its end for the error message. */
    InputStream stderr();

    /**
     * Waits for the hook to end.
     *
     * @param timeout how long to wait; null to wait for as long as it takes
     * @return how it ended, or null when it is still running once {@code timeout} has passed
     */
    HookExit waitFor(Duration timeout) throws InterruptedException;

    /**
     * Kills the hook with SIGKILL, and whatever it started as far as the launcher can find it,
     * and returns once the hook itself is gone.
     */
    void kill();
}
