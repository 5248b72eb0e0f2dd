package jrun.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

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
        int status = waitStatus(pidfd);
        if (status < 0) {
            return -1;
        }
        return exitSignal(status) > 0 ? 128 + exitSignal(status) : exitCode(status);
    }

    /**
     * Like {@link #waitExit} but keeps an exit code apart from a signal (an exit status of 137
     * is not SIGKILL): wait(2)'s status word, the code in bits 8-15 or the signal in bits 0-6,
     * read with {@link #exitCode} and {@link #exitSignal}; -1 when not our child.
     */
    public static int waitStatus(int pidfd) {
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
            return code == CLD_EXITED ? (status & 0xff) << 8 : status & 0x7f;
        }
    }

    /** The exit code of a {@link #waitStatus} (0 when a signal ended the process). */
    public static int exitCode(int status) {
        return (status >> 8) & 0xff;
    }

    /** The signal that ended the process of a {@link #waitStatus}, or 0 when it exited. */
    public static int exitSignal(int status) {
        return status & 0x7f;
    }

    public static String describe(int status) {
        if (status < 0) {
            return "exit status unknown";
        }
        return status > 128 ? "killed by signal " + (status - 128) : "exit status " + status;
    }
}
