package jrun.process;

import java.lang.foreign.Arena;
import jrun.sys.Native;
import jrun.sys.SyscallNr;

/**
 * Runs the forked child's Java path in this JVM ({@link ChildLauncher#runChildPath}), after the
 * warm-up and between calls of {@link #begin()} and {@link #end()}, for a test that reads what
 * the JVM reports about the methods run between them ({@code -XX:+PrintTieredEvents} names the
 * method of each event, so the two markers show in its output too).
 * Argument: how many rounds over the warm-up programs.
 */
public final class ChildPathProbe {
    /** Enough calls for the interpreter to report each marker (it reports every 128th by default). */
    private static final int MARKER_CALLS = 256;

    private ChildPathProbe() {}

    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        ChildLauncher.warmUp();
        try (Arena arena = Arena.ofConfined()) {
            long[][] programs = WarmUpPrograms.all(arena);
            long[] regs = new long[4];
            var errnoLocation = Native.errnoLocation();
            long writeNr = SyscallNr.WRITE.nr();
            long steps = ChildLauncher.intTable(arena, 4).address();
            for (int i = 0; i < MARKER_CALLS; i++) {
                begin();
            }
            ChildLauncher.runChildPath(programs, regs, errnoLocation, writeNr, steps, rounds);
            for (int i = 0; i < MARKER_CALLS; i++) {
                end();
            }
        }
    }

    static void begin() {}

    static void end() {}
}
