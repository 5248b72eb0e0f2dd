package jrun.process;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jrun.sys.Errno;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/** Waiting for a process through its pidfd, and exit statuses in the shell's form. */
public final class Reaper {
    private static final int P_PIDFD = 3;
    private static final int WEXITED = 4;
    private static final int CLD_EXITED = 1;

    private Reaper() {}

    /**
     * Waits for the child behind {@code pidfd} to exit and reaps it. Returns its exit code, or
     * 128 + signal when a signal ended it (what runc returns, and what shells show). Returns -1
     * when the process is not our child (already reaped, or reparented).
     */
    public static int waitExit(int pidfd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(128, 8);
            long r = Sys.attempt(SyscallNr.WAITID, P_PIDFD, pidfd, info.address(), WEXITED, 0);
            if (r < 0) {
                if (-r == Errno.ECHILD) {
                    return -1;
                }
                throw new IllegalStateException("waitid: " + Errno.describe((int) -r));
            }
            int code = info.get(JAVA_INT, 8);
            int status = info.get(JAVA_INT, 24);
            return code == CLD_EXITED ? status : 128 + status;
        }
    }

    public static String describe(int status) {
        if (status < 0) {
            return "exit status unknown";
        }
        return status > 128 ? "killed by signal " + (status - 128) : "exit status " + status;
    }
}
