package jrun.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The kernel's notification fds, each readable once something happened and empty again once
 * {@link #drain}ed, to wait on (alone or in an {@link Epoll}) instead of polling a file: an
 * eventfd (which cgroup v1's {@code cgroup.event_control} signals) and inotify. All are
 * non-blocking and close-on-exec.
 */
public final class Notifier {
    private static final long EFD_NONBLOCK = Kernel.O_NONBLOCK;
    private static final long EFD_CLOEXEC = Kernel.O_CLOEXEC;
    private static final long IN_NONBLOCK = Kernel.O_NONBLOCK;
    private static final long IN_CLOEXEC = Kernel.O_CLOEXEC;
    /** inotify's mask for a file's content changing: what the kernel reports for a cgroup file's notification. */
    public static final long IN_MODIFY = 0x2;
    private static final int DRAIN_BUFFER = 4096;

    private Notifier() {}

    public static int eventFd(String purpose) {
        return (int) Sys.call("create an eventfd for " + purpose, SyscallNr.EVENTFD2, 0, EFD_NONBLOCK | EFD_CLOEXEC);
    }

    /** An inotify fd watching {@code file} for the events of {@code mask}. */
    public static int inotify(Path file, long mask) {
        int fd = (int) Sys.call("create an inotify fd for " + file, SyscallNr.INOTIFY_INIT1, IN_NONBLOCK | IN_CLOEXEC);
        try (Arena arena = Arena.ofConfined()) {
            Sys.call("watch " + file, SyscallNr.INOTIFY_ADD_WATCH, fd, NativeCopy.cString(arena, file.toString()).address(),
                    mask);
            return fd;
        } catch (RuntimeException e) {
            Sys.attempt(SyscallNr.CLOSE, fd);
            throw e;
        }
    }

    /**
     * Reads everything pending on the non-blocking {@code fd}, so that it is no longer readable;
     * returns whether anything was (an eventfd's count or inotify's records: only their arrival
     * matters).
     */
    public static boolean drain(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(DRAIN_BUFFER, 8);
            boolean any = false;
            while (Sys.attempt(SyscallNr.READ, fd, buffer.address(), DRAIN_BUFFER) > 0) {
                any = true;
            }
            return any;
        }
    }
}
