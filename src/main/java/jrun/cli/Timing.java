package jrun.cli;

/**
 * Phase timestamps for finding where start-up time goes: with {@code JRUN_TIMING=1} in the
 * environment each {@link #mark} prints milliseconds since the JVM started running jrun's
 * code to stderr. Off by default: stderr belongs to the container and the calling engine.
 */
public final class Timing {
    private static final boolean ON = System.getenv("JRUN_TIMING") != null;
    private static final long START = System.nanoTime();

    private Timing() {}

    public static void mark(String phase) {
        if (ON) {
            System.err.printf("jrun timing: %7.1f ms  %s%n", (System.nanoTime() - START) / 1e6, phase);
        }
    }
}
