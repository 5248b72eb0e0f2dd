package jrun.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Waiting for an fd with a deadline (ppoll: aarch64 has no poll). */
public final class Poll {
    private static final short POLLIN = 1;

    private Poll() {}

    /** True when {@code fd} is readable or hung up within {@code timeoutMs}. */
    public static boolean readable(int fd, int timeoutMs) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pfd = arena.allocate(8, 4);
            pfd.set(JAVA_INT, 0, fd);
            pfd.set(JAVA_SHORT, 4, POLLIN);
            MemorySegment ts = arena.allocate(16, 8);
            ts.set(JAVA_LONG, 0, timeoutMs / 1000);
            ts.set(JAVA_LONG, 8, (timeoutMs % 1000) * 1_000_000L);
            long r = Sys.attempt(SyscallNr.PPOLL, pfd.address(), 1, ts.address(), 0, 8);
            if (r < 0) {
                throw new IllegalStateException("ppoll: " + Errno.describe((int) -r));
            }
            return r > 0;
        }
    }
}
