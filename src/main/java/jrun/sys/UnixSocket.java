package jrun.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * AF_UNIX stream sockets that carry an fd (SCM_RIGHTS), which java.nio's channels cannot: how
 * jrun hands a pty master to a console socket and a seccomp listener to its agent.
 */
public final class UnixSocket {
    public static final int SUN_PATH_MAX = 108;
    private static final int AF_UNIX = 1;
    private static final long SOCK_STREAM = 1;
    private static final long SOCK_CLOEXEC = 02000000;
    private static final long SOCK_NONBLOCK = 04000;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final long MSG_NOSIGNAL = 0x4000;

    private UnixSocket() {}

    /** A connected socket's fd (close-on-exec); a negative errno when socket or connect fails. */
    public static int connect(String path) {
        return socketAt(path, SyscallNr.CONNECT, 0);
    }

    /**
     * A socket bound at {@code path} and listening (close-on-exec and non-blocking: {@link #accept}
     * answers -EAGAIN when no one has connected); a negative errno when that fails.
     */
    public static int listen(String path) {
        int sock = socketAt(path, SyscallNr.BIND, SOCK_NONBLOCK);
        if (sock >= 0) {
            long rc = Sys.attempt(SyscallNr.LISTEN, sock, 1);
            if (rc < 0) {
                Sys.attempt(SyscallNr.CLOSE, sock);
                return (int) rc;
            }
        }
        return sock;
    }

    /** A connection waiting on a {@link #listen}ing socket (close-on-exec), or a negative errno. */
    public static int accept(int listening) {
        return (int) Sys.attempt(SyscallNr.ACCEPT4, listening, 0, 0, SOCK_CLOEXEC);
    }

    /** A new socket, connected or bound ({@code how}) at {@code path}; a negative errno when either fails. */
    private static int socketAt(String path, SyscallNr how, long flags) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= SUN_PATH_MAX) {
            return -Errno.ENAMETOOLONG;
        }
        try (Arena arena = Arena.ofConfined()) {
            long sock = Sys.attempt(SyscallNr.SOCKET, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | flags, 0);
            if (sock < 0) {
                return (int) sock;
            }
            MemorySegment addr = arena.allocate(2 + SUN_PATH_MAX, 8);
            addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
            NativeCopy.put(bytes, 0, addr, 2, bytes.length);
            long rc = Sys.attempt(how, sock, addr.address(), 2 + SUN_PATH_MAX);
            if (rc < 0) {
                Sys.attempt(SyscallNr.CLOSE, sock);
                return (int) rc;
            }
            return (int) sock;
        }
    }

    /**
     * Sends {@code data} with {@code fd} in SCM_RIGHTS of the first sendmsg (runtime-spec:
     * "only in the first call"). Returns 0, or the negative errno of the failed sendmsg.
     */
    public static int sendWithFd(int sock, byte[] data, int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = NativeCopy.of(arena, data);
            MemorySegment iov = arena.allocate(16, 8);
            MemorySegment control = arena.allocate(24, 8); // CMSG_SPACE(sizeof(int))
            control.set(JAVA_LONG, 0, 20);                 // CMSG_LEN(sizeof(int))
            control.set(JAVA_INT, 8, SOL_SOCKET);
            control.set(JAVA_INT, 12, SCM_RIGHTS);
            control.set(JAVA_INT, 16, fd);
            MemorySegment msg = arena.allocate(56, 8);
            msg.set(JAVA_LONG, 16, iov.address());
            msg.set(JAVA_LONG, 24, 1);
            msg.set(JAVA_LONG, 32, control.address());
            msg.set(JAVA_LONG, 40, control.byteSize());
            long sent = 0;
            do {
                iov.set(JAVA_LONG, 0, bytes.address() + sent);
                iov.set(JAVA_LONG, 8, data.length - sent);
                long n = Sys.attempt(SyscallNr.SENDMSG, sock, msg.address(), MSG_NOSIGNAL);
                if (n < 0) {
                    return (int) n;
                }
                sent += n;
                msg.set(JAVA_LONG, 32, 0);
                msg.set(JAVA_LONG, 40, 0);
            } while (sent < data.length);
            return 0;
        }
    }

    /**
     * Receives one message and the fd it carries (the console-socket side, as conmon and
     * containerd's shim do it). Returns the fd, or a negative errno; {@code into} receives the
     * data bytes (its length is returned through {@code length[0]}).
     */
    public static int receiveFd(int sock, byte[] into, int[] length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(Math.max(1, into.length));
            MemorySegment iov = arena.allocate(16, 8);
            iov.set(JAVA_LONG, 0, bytes.address());
            iov.set(JAVA_LONG, 8, into.length);
            MemorySegment control = arena.allocate(24, 8);
            MemorySegment msg = arena.allocate(56, 8);
            msg.set(JAVA_LONG, 16, iov.address());
            msg.set(JAVA_LONG, 24, 1);
            msg.set(JAVA_LONG, 32, control.address());
            msg.set(JAVA_LONG, 40, control.byteSize());
            long n = Sys.attempt(SyscallNr.RECVMSG, sock, msg.address(), 0x40000000L /* MSG_CMSG_CLOEXEC */);
            if (n < 0) {
                return (int) n;
            }
            NativeCopy.get(bytes, 0, into, 0, (int) n);
            length[0] = (int) n;
            if (msg.get(JAVA_LONG, 40) < 20 || control.get(JAVA_INT, 12) != SCM_RIGHTS) {
                return -Errno.EBADF;
            }
            return control.get(JAVA_INT, 16);
        }
    }
}
