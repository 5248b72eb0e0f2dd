package jrun.process;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import jrun.hooks.HookExit;
import jrun.hooks.HookProcess;
import jrun.hooks.HookProcessStarter;
import jrun.linux.ProcessPlan;
import jrun.sys.Errno;
import jrun.sys.NativeCopy;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * Starts hooks in the container's namespaces ({@code createContainer}, {@code startContainer}),
 * through the same join as {@code exec}: the hook enters every namespace of the container's init
 * and its root, keeps jrun's identity and capabilities, and talks to jrun over pipes.
 * Before pivot_root (createContainer) the init's root is still the host's, so the hook's path
 * resolves as the runtime sees it; after (startContainer) it resolves in the container.
 */
final class ContainerHookStarter implements HookProcessStarter {
    static final String ORIGIN = "the hook";
    private final int initPid;

    ContainerHookStarter(int initPid) {
        this.initPid = initPid;
    }

    @Override
    public HookProcess start(String path, List<String> argv, List<String> env) throws IOException {
        ProcessPlan plan = new ProcessPlan(argv, env, "/", List.of(path), 0, 0, List.of(), null, List.of(), false,
                null, null, null, jrun.linux.ProcessScheduling.NONE);
        Arena arena = Arena.ofShared();
        int[] stdin = pipe(arena);
        int[] stdout = pipe(arena);
        int[] stderr = pipe(arena);
        ProcessSetup.Launched launched = null;
        try {
            launched = ContainerJoin.launch(arena, initPid, null, plan, new ProcessSetup.Launch(0),
                    new ContainerJoin.Extras(new int[] {stdin[0], stdout[1], stderr[1]}, null, false),
                    ORIGIN);
            ChildLauncher.await(launched.child(), 0);
        } catch (StepFailedException e) {
            if (launched != null) {
                ChildLauncher.reap(launched.child());
            }
            closeAll(stdin, stdout, stderr);
            close(launched);
            arena.close();
            throw new IOException(Errno.describe(e.errno()), e);
        } catch (RuntimeException e) {
            closeAll(stdin, stdout, stderr);
            close(launched);
            arena.close();
            throw new IOException(e.getMessage(), e);
        }
        Sys.attempt(SyscallNr.CLOSE, stdin[0]);
        Sys.attempt(SyscallNr.CLOSE, stdout[1]);
        Sys.attempt(SyscallNr.CLOSE, stderr[1]);
        return new JoinedHook(launched.child(), stdin[1], stdout[0], stderr[0], arena);
    }

    private static int[] pipe(Arena arena) {
        MemorySegment fds = arena.allocate(JAVA_INT, 2);
        Sys.call("create a pipe for a hook", SyscallNr.PIPE2, fds.address(), ChildLauncher.O_CLOEXEC);
        return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
    }

    private static void closeAll(int[]... pipes) {
        for (int[] p : pipes) {
            Sys.attempt(SyscallNr.CLOSE, p[0]);
            Sys.attempt(SyscallNr.CLOSE, p[1]);
        }
    }

    private static void close(ProcessSetup.Launched launched) {
        if (launched != null) {
            Sys.attempt(SyscallNr.CLOSE, launched.child().pidfd());
            launched.child().pipes().closeParentEnds();
        }
    }

    /** A hook running in the container, watched through its pidfd. */
    private record JoinedHook(ChildLauncher.Child child, int in, int out, int err, Arena arena) implements HookProcess {
        @Override
        public OutputStream stdin() {
            return new FdOutputStream(in);
        }

        @Override
        public InputStream stdout() {
            return new FdInputStream(out);
        }

        @Override
        public InputStream stderr() {
            return new FdInputStream(err);
        }

        @Override
        public HookExit waitFor(Duration timeout) {
            if (timeout != null) {
                long ms = Math.min(Integer.MAX_VALUE, Math.max(0, timeout.toMillis()));
                if (!Poll.readable(child.pidfd(), (int) ms)) {
                    return null;
                }
            }
            int status = Reaper.waitExit(child.pidfd());
            finish();
            return status >= 128 ? HookExit.killedBy(status - 128) : HookExit.exited(status);
        }

        @Override
        public void kill() {
            ChildLauncher.kill(child);
            ChildLauncher.reap(child);
            finish();
        }

        private void finish() {
            Sys.attempt(SyscallNr.CLOSE, child.pidfd());
            child.pipes().closeParentEnds();
        }
    }

    /** Reading a pipe jrun holds as a bare fd (java.io cannot adopt one). */
    private static final class FdInputStream extends InputStream {
        private final int fd;
        private boolean closed;

        FdInputStream(int fd) {
            this.fd = fd;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment buf = a.allocate(Math.max(1, len));
                long n;
                do {
                    n = Sys.attempt(SyscallNr.READ, fd, buf.address(), len);
                } while (n == -Errno.EINTR);
                if (n < 0) {
                    throw new IOException("read: " + Errno.describe((int) -n));
                }
                if (n == 0) {
                    return -1;
                }
                NativeCopy.get(buf, 0, b, off, (int) n);
                return (int) n;
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                Sys.attempt(SyscallNr.CLOSE, fd);
            }
        }
    }

    private static final class FdOutputStream extends OutputStream {
        private final int fd;
        private boolean closed;

        FdOutputStream(int fd) {
            this.fd = fd;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment buf = a.allocate(Math.max(1, len));
                NativeCopy.put(b, off, buf, 0, len);
                long done = 0;
                while (done < len) {
                    long n = Sys.attempt(SyscallNr.WRITE, fd, buf.address() + done, len - done);
                    if (n == -Errno.EINTR) {
                        continue;
                    }
                    if (n < 0) {
                        throw new IOException("write: " + Errno.describe((int) -n));
                    }
                    done += n;
                }
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                Sys.attempt(SyscallNr.CLOSE, fd);
            }
        }
    }
}
