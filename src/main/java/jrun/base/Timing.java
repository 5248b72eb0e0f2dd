package jrun.base;

/**
 * Phase timestamps for finding where start-up time goes: with {@code JRUN_TIMING=1} in the
 * environment each {@link #mark} prints milliseconds since the JVM started running jrun's
 * code to stderr. Off by default: stderr belongs to the container and the calling engine.
 */
public final class Timing {
    private static final boolean ON = Environment.get("JRUN_TIMING") != null;
    private static final long START = System.nanoTime();

    private Timing() {}

    public static void mark(String phase) {
        if (ON) {
            // Not printf: its first use loads java.util.Formatter and locale data, which in an
            // interpreted JVM would be charged to whichever phase came first.
            long tenths = (System.nanoTime() - START) / 100_000;
            String ms = (tenths / 10) + "." + (tenths % 10);
            System.err.println("jrun timing: " + " ".repeat(Math.max(0, 7 - ms.length())) + ms + " ms  " + phase);
        }
    }
}
