package jrun.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * An epoll set: one thread blocks in {@link #await} until fds of the set are readable (or hung
 * up) and learns which by the token each was added with, while other threads add and remove fds
 * (the kernel allows both at once). Level-triggered: a ready fd stays ready until it is read.
 */
public final class Epoll implements AutoCloseable {
    private static final long EPOLL_CLOEXEC = Kernel.O_CLOEXEC;
    private static final long EPOLL_CTL_ADD = 1;
    private static final long EPOLL_CTL_DEL = 2;
    private static final int EPOLLIN = 1;
    /** struct epoll_event: {u32 events; u64 data}, packed on x86_64 (12 bytes), padded elsewhere (16). */
    private static final long EVENT_SIZE = Arch.current() == Arch.X86_64 ? 12 : 16;
    private static final long DATA_OFFSET = EVENT_SIZE - 8;

    private final int fd;

    private Epoll(int fd) {
        this.fd = fd;
    }

    /** A new, empty set; {@code purpose} names it in an error. */
    public static Epoll create(String purpose) {
        return new Epoll((int) Sys.call("create an epoll set for " + purpose, SyscallNr.EPOLL_CREATE1, EPOLL_CLOEXEC));
    }

    /** Adds {@code target}, reported by {@link #await} as {@code token} while it is readable. */
    public void add(int target, long token) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment event = arena.allocate(EVENT_SIZE, 4);
            event.set(JAVA_INT, 0, EPOLLIN);
            event.set(JAVA_LONG_UNALIGNED, DATA_OFFSET, token);
            Sys.call("watch fd " + target, SyscallNr.EPOLL_CTL, fd, EPOLL_CTL_ADD, target, event.address());
        }
    }

    /** Takes {@code target} out of the set (closing it does too, unless another fd shares its file). */
    public void remove(int target) {
        Sys.attempt(SyscallNr.EPOLL_CTL, fd, EPOLL_CTL_DEL, target, 0);
    }

    /**
     * Waits until at least one fd is ready or {@code timeoutMs} passed (-1: no limit), and puts
     * the tokens of up to {@code tokens.length} ready fds into {@code tokens}; returns how many
     * (0 on the timeout).
     */
    public int await(long[] tokens, int timeoutMs) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(EVENT_SIZE * tokens.length, 4);
            int n = (int) Sys.call("wait on an epoll set", SyscallNr.EPOLL_PWAIT, fd, events.address(), tokens.length,
                    timeoutMs, 0, 8);
            for (int i = 0; i < n; i++) {
                tokens[i] = events.get(JAVA_LONG_UNALIGNED, i * EVENT_SIZE + DATA_OFFSET);
            }
            return n;
        }
    }

    @Override
    public void close() {
        Sys.attempt(SyscallNr.CLOSE, fd);
    }
}
