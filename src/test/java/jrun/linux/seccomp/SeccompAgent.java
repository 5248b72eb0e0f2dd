package jrun.linux.seccomp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jrun.sys.Arch;
import jrun.sys.Native;

/**
 * A seccomp agent for tests, as a container engine would run one: listens on a unix socket,
 * receives the container process state with the listener fd (SCM_RIGHTS), then answers every
 * notified call with {@code answerErrno}. x86_64 system call numbers.
 */
public final class SeccompAgent implements AutoCloseable {
    private static final long SOCKET = 41, BIND = 49, LISTEN = 50, ACCEPT4 = 288, RECVMSG = 47, IOCTL = 16, POLL = 7,
            CLOSE = 3;
    private static final long SECCOMP_IOCTL_NOTIF_RECV = 0xc0502100L;
    private static final long SECCOMP_IOCTL_NOTIF_SEND = 0xc0182101L;
    private static final short POLLIN = 1;
    private static final short POLLHUP = 0x10;

    private final Arena arena = Arena.ofShared();
    private final int answerErrno;
    private final int server;
    private final Thread thread;
    private final CountDownLatch received = new CountDownLatch(1);
    private final List<Integer> notified = new CopyOnWriteArrayList<>();
    private volatile String state;
    private volatile int fdsReceived;
    private volatile boolean stopping;
    private volatile Throwable failure;

    public SeccompAgent(Path socket, int answerErrno) {
        if (Arch.current() != Arch.X86_64) {
            throw new IllegalStateException("the agent uses x86_64 system call numbers");
        }
        this.answerErrno = answerErrno;
        MemorySegment capture = Native.newCaptureState(arena);
        server = (int) check(capture, Native.syscall(capture, SOCKET, 1, 1 | 02000000, 0, 0, 0, 0), "socket");
        MemorySegment addr = arena.allocate(110, 8);
        addr.set(JAVA_SHORT, 0, (short) 1);
        byte[] path = socket.toString().getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(path, 0, addr, JAVA_BYTE, 2, path.length);
        check(capture, Native.syscall(capture, BIND, server, addr.address(), 110, 0, 0, 0), "bind");
        check(capture, Native.syscall(capture, LISTEN, server, 1, 0, 0, 0, 0), "listen");
        thread = Thread.ofPlatform().daemon().start(this::serve);
    }

    /** The container process state the runtime sent, once it has (null before). */
    public String awaitState(long seconds) throws InterruptedException {
        received.await(seconds, TimeUnit.SECONDS);
        return state;
    }

    public int fdsReceived() {
        return fdsReceived;
    }

    /** The system call numbers the agent has answered. */
    public List<Integer> notified() {
        return List.copyOf(notified);
    }

    public Throwable failure() {
        return failure;
    }

    private void serve() {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment capture = Native.newCaptureState(local);
            MemorySegment pfd = local.allocate(8, 4);
            if (!waitReadable(capture, pfd, server)) {
                return;
            }
            int conn = (int) check(capture, Native.syscall(capture, ACCEPT4, server, 0, 0, 02000000, 0, 0), "accept4");
            int listener = receive(capture, local, conn);
            Native.syscall(capture, CLOSE, conn, 0, 0, 0, 0, 0);
            received.countDown();
            if (listener >= 0) {
                answer(capture, local, pfd, listener);
                Native.syscall(capture, CLOSE, listener, 0, 0, 0, 0, 0);
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            received.countDown();
        }
    }

    /** Reads the whole state (to EOF); returns the fd that came with its first part. */
    private int receive(MemorySegment capture, Arena local, int conn) {
        MemorySegment data = local.allocate(65536);
        MemorySegment iov = local.allocate(16, 8);
        MemorySegment control = local.allocate(64, 8);
        MemorySegment msg = local.allocate(56, 8);
        int fd = -1;
        long total = 0;
        while (true) {
            iov.set(JAVA_LONG, 0, data.address() + total);
            iov.set(JAVA_LONG, 8, data.byteSize() - total);
            msg.fill((byte) 0);
            msg.set(JAVA_LONG, 16, iov.address());
            msg.set(JAVA_LONG, 24, 1);
            msg.set(JAVA_LONG, 32, control.address());
            msg.set(JAVA_LONG, 40, control.byteSize());
            long n = check(capture, Native.syscall(capture, RECVMSG, conn, msg.address(), 0x40000000 /* MSG_CMSG_CLOEXEC */,
                    0, 0, 0), "recvmsg");
            long controlLength = msg.get(JAVA_LONG, 40);
            if (controlLength >= 20 && control.get(JAVA_INT, 8) == 1 && control.get(JAVA_INT, 12) == 1) {
                int count = (int) ((control.get(JAVA_LONG, 0) - 16) / 4);
                fdsReceived += count;
                fd = control.get(JAVA_INT, 16);
            }
            if (n == 0) {
                break;
            }
            total += n;
        }
        byte[] bytes = new byte[(int) total];
        MemorySegment.copy(data, JAVA_BYTE, 0, bytes, 0, bytes.length);
        state = new String(bytes, StandardCharsets.UTF_8);
        return fd;
    }

    private void answer(MemorySegment capture, Arena local, MemorySegment pfd, int listener) {
        MemorySegment notif = local.allocate(80, 8);
        MemorySegment resp = local.allocate(24, 8);
        while (!stopping) {
            pfd.set(JAVA_INT, 0, listener);
            pfd.set(JAVA_SHORT, 4, POLLIN);
            pfd.set(JAVA_SHORT, 6, (short) 0);
            long ready = Native.syscall(capture, POLL, pfd.address(), 1, 200, 0, 0, 0);
            short revents = pfd.get(JAVA_SHORT, 6);
            if (ready <= 0) {
                continue;
            }
            if ((revents & POLLIN) == 0 && (revents & POLLHUP) != 0) {
                return; // every process of the filter is gone
            }
            notif.fill((byte) 0);
            if (Native.syscall(capture, IOCTL, listener, SECCOMP_IOCTL_NOTIF_RECV, notif.address(), 0, 0, 0) < 0) {
                continue; // the caller was killed meanwhile (ENOENT)
            }
            notified.add(notif.get(JAVA_INT, 16));
            resp.fill((byte) 0);
            resp.set(JAVA_LONG, 0, notif.get(JAVA_LONG, 0));
            resp.set(JAVA_INT, 16, -answerErrno);
            Native.syscall(capture, IOCTL, listener, SECCOMP_IOCTL_NOTIF_SEND, resp.address(), 0, 0, 0);
        }
    }

    private boolean waitReadable(MemorySegment capture, MemorySegment pfd, int fd) {
        while (!stopping) {
            pfd.set(JAVA_INT, 0, fd);
            pfd.set(JAVA_SHORT, 4, POLLIN);
            if (Native.syscall(capture, POLL, pfd.address(), 1, 200, 0, 0, 0) > 0) {
                return true;
            }
        }
        return false;
    }

    private static long check(MemorySegment capture, long r, String what) {
        if (r < 0) {
            throw new IllegalStateException(what + " failed: errno " + Native.errno(capture));
        }
        return r;
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.join(5000);
        MemorySegment capture = Native.newCaptureState(arena);
        Native.syscall(capture, CLOSE, server, 0, 0, 0, 0, 0);
        arena.close();
    }
}
