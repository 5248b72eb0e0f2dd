package jrun.it;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import jrun.sys.Errno;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;
import jrun.sys.UnixSocket;

/**
 * The receiving end of {@code --console-socket}, as conmon or containerd's shim runs it: an
 * AF_UNIX stream socket listening at a path, which accepts one connection and takes the pty
 * master from its SCM_RIGHTS message. Every wait has a deadline, so a test cannot hang.
 */
final class ConsoleReceiver implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final long SOCK_STREAM = 1;
    private static final long SOCK_CLOEXEC = 02000000;
    private static final short POLLIN = 1;

    private final Path path;
    private int listener;

    ConsoleReceiver(Path path) {
        this(path, true);
    }

    private ConsoleReceiver(Path path, boolean listen) {
        this.path = path;
        byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= UnixSocket.SUN_PATH_MAX) {
            throw new IllegalArgumentException("socket path too long: " + path);
        }
        listener = (int) check(Sys.attempt(SyscallNr.SOCKET, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), "socket");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment addr = arena.allocate(2 + UnixSocket.SUN_PATH_MAX, 8);
            addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(bytes, 0, addr, JAVA_BYTE, 2, bytes.length);
            check(Sys.attempt(SyscallNr.BIND, listener, addr.address(), 2 + UnixSocket.SUN_PATH_MAX), "bind " + path);
            if (listen) {
                check(Sys.attempt(SyscallNr.LISTEN, listener, 4), "listen");
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * A socket file at {@code path} that nobody listens on, as a receiver that has gone leaves
     * it (bound, then closed). Not java.nio's channels: their first use keeps an fd open in this
     * JVM for good, which the tests' fd accounting would count as a leak.
     */
    static void leaveStale(Path path) {
        new ConsoleReceiver(path, false).closeKeepingFile();
    }

    private void closeKeepingFile() {
        Sys.attempt(SyscallNr.CLOSE, listener);
        listener = -1;
    }

    Path path() {
        return path;
    }

    /**
     * Accepts the runtime's connection and receives the master. Fails when no connection, or
     * no fd, arrives within {@code timeout}.
     */
    Pty receive(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!readable(listener, deadline)) {
            throw new AssertionError("nobody connected to the console socket within " + timeout);
        }
        int conn = (int) check(Sys.attempt(SyscallNr.ACCEPT4, listener, 0, 0, SOCK_CLOEXEC), "accept4");
        try {
            if (!readable(conn, deadline)) {
                throw new AssertionError("the runtime connected but sent nothing within " + timeout);
            }
            byte[] data = new byte[256];
            int[] length = new int[1];
            int fd = UnixSocket.receiveFd(conn, data, length);
            if (fd < 0) {
                throw new AssertionError("no fd came with the console socket's message: " + Errno.describe(-fd));
            }
            return new Pty(fd, new String(data, 0, length[0], StandardCharsets.UTF_8));
        } finally {
            Sys.attempt(SyscallNr.CLOSE, conn);
        }
    }

    /** Whether the runtime connected at all within {@code timeout} (it may have failed first). */
    boolean connected(Duration timeout) {
        return readable(listener, System.nanoTime() + timeout.toNanos());
    }

    @Override
    public void close() {
        if (listener >= 0) {
            Sys.attempt(SyscallNr.CLOSE, listener);
            listener = -1;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** ppoll (every architecture has it) for POLLIN or hang-up until {@code deadline} (nanoTime). */
    static boolean readable(int fd, long deadline) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pfd = arena.allocate(8, 4);
            MemorySegment ts = arena.allocate(16, 8);
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                pfd.set(JAVA_INT, 0, fd);
                pfd.set(JAVA_SHORT, 4, POLLIN);
                pfd.set(JAVA_SHORT, 6, (short) 0);
                ts.set(JAVA_LONG, 0, left / 1_000_000_000L);
                ts.set(JAVA_LONG, 8, left % 1_000_000_000L);
                long r = Sys.attempt(SyscallNr.PPOLL, pfd.address(), 1, ts.address(), 0, 8);
                if (r > 0) {
                    return true;
                }
                if (r < 0 && r != -Errno.EINTR) {
                    throw new AssertionError("ppoll: " + Errno.describe((int) -r));
                }
            }
        }
    }

    private static long check(long r, String what) {
        if (r < 0) {
            throw new AssertionError(what + " failed: " + Errno.describe((int) -r));
        }
        return r;
    }

    /** A pty master received from the runtime: what the test types and what it reads back. */
    static final class Pty implements AutoCloseable {
        private final StringBuilder seen = new StringBuilder();
        private final String name;
        private int fd;
        private boolean hungUp;

        private Pty(int fd, String name) {
            this.fd = fd;
            this.name = name;
        }

        int fd() {
            return fd;
        }

        /** The data that came with the fd (runc sends the master's path). */
        String name() {
            return name;
        }

        /** Everything read so far (the terminal's output: echo, prompts, "\r\n" line ends). */
        String output() {
            return seen.toString();
        }

        void write(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(bytes.length);
                MemorySegment.copy(bytes, 0, buf, JAVA_BYTE, 0, bytes.length);
                long done = 0;
                while (done < bytes.length) {
                    long n = check(Sys.attempt(SyscallNr.WRITE, fd, buf.address() + done, bytes.length - done),
                            "write to the pty master");
                    done += n;
                }
            }
        }

        /** Reads until the output so far satisfies {@code until}; fails at the deadline. */
        String readUntil(Predicate<String> until, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!until.test(seen.toString())) {
                if (hungUp) {
                    throw new AssertionError("the terminal hung up; output: " + seen);
                }
                if (!readOnce(deadline)) {
                    throw new AssertionError("timed out after " + timeout + "; output: " + seen);
                }
            }
            return seen.toString();
        }

        String readUntil(String needle, Duration timeout) {
            return readUntil(s -> s.contains(needle), timeout);
        }

        /** Reads until every process has closed the terminal's other side (read gives EIO). */
        String readToHangUp(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!hungUp) {
                if (!readOnce(deadline)) {
                    throw new AssertionError("the terminal is still open after " + timeout + "; output: " + seen);
                }
            }
            return seen.toString();
        }

        /** One read; false at the deadline. */
        private boolean readOnce(long deadline) {
            if (!readable(fd, deadline)) {
                return false;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(4096);
                long n = Sys.attempt(SyscallNr.READ, fd, buf.address(), buf.byteSize());
                if (n == -Errno.EIO || n == 0) {
                    hungUp = true;
                } else if (n == -Errno.EAGAIN) {
                    return true;
                } else {
                    check(n, "read from the pty master");
                    byte[] bytes = new byte[(int) n];
                    MemorySegment.copy(buf, JAVA_BYTE, 0, bytes, 0, bytes.length);
                    seen.append(new String(bytes, StandardCharsets.UTF_8));
                }
                return true;
            }
        }

        @Override
        public void close() {
            if (fd >= 0) {
                Sys.attempt(SyscallNr.CLOSE, fd);
                fd = -1;
            }
        }
    }
}
