package jrun.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Parent-side system calls: a failure becomes a {@link SysException} that says what failed. */
public final class Sys {
    private Sys() {}

    /**
     * Calls {@code nr} with up to six arguments (integers, fds, or {@link MemorySegment#address()}
     * of native memory) and returns its result.
     *
     * @param what the operation in words, e.g. {@code open "/run/jrun/c1/exec.fifo"}
     */
    public static long call(String what, SyscallNr nr, long... args) {
        long r = invoke(nr, args);
        if (r == -1) {
            throw new SysException(what, nr, Native.errno(Native.threadCapture()));
        }
        return r;
    }

    /**
     * A close-on-exec copy of {@code fd} (F_DUPFD_CLOEXEC), for a holder that outlives the
     * original's owner.
     */
    public static int dup(String what, int fd) {
        return (int) call(what, SyscallNr.FCNTL, fd, Kernel.F_DUPFD_CLOEXEC, 3);
    }

    /**
     * {@code fd} itself when it is at least {@code lowest}; else moved there (a close-on-exec
     * copy at the lowest free number from {@code lowest} on, the original closed): fds that are
     * about to be placed on fixed numbers in a child must not sit on one of those numbers.
     */
    public static int moveAtLeast(String what, int fd, int lowest) {
        if (fd >= lowest) {
            return fd;
        }
        int moved = (int) call(what, SyscallNr.FCNTL, fd, Kernel.F_DUPFD_CLOEXEC, lowest);
        attempt(SyscallNr.CLOSE, fd);
        return moved;
    }

    /** {@code open(path, flags | O_CLOEXEC)}; a failure names the path. */
    public static int open(String path, long flags) {
        return open(path, flags, 0);
    }

    /** {@code open(path, flags | O_CLOEXEC, mode)}, for a file it may create; a failure names the path. */
    public static int open(String path, long flags, long mode) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) call("open " + path, SyscallNr.OPENAT, Kernel.AT_FDCWD, arena.allocateFrom(path).address(),
                    flags | Kernel.O_CLOEXEC, mode);
        }
    }

    /** Like {@link #call} but returns {@code -errno} instead of throwing. */
    public static long attempt(SyscallNr nr, long... args) {
        long r = invoke(nr, args);
        return r == -1 ? -Native.errno(Native.threadCapture()) : r;
    }

    private static long invoke(SyscallNr nr, long[] args) {
        if (args.length > 6) {
            throw new IllegalArgumentException("a system call takes at most six arguments");
        }
        long[] a = new long[6];
        System.arraycopy(args, 0, a, 0, args.length);
        MemorySegment capture = Native.threadCapture();
        long r;
        do {
            r = Native.syscall(capture, nr.nr(), a[0], a[1], a[2], a[3], a[4], a[5]);
        } while (r == -1 && Native.errno(capture) == Errno.EINTR);
        return r;
    }
}
