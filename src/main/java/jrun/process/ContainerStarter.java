package jrun.process;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jrun.cli.JrunException;
import jrun.state.ContainerLock;
import jrun.state.ContainerState;
import jrun.state.ContainerStatus;
import jrun.state.StateStore;
import jrun.state.StatusProbe;
import jrun.sys.Errno;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * {@code start}: opens the exec fifo for reading, which releases the init blocked on opening it
 * for writing into the last steps before execve, then removes the fifo (its absence is what
 * makes the status {@code running}).
 */
public final class ContainerStarter {
    private static final long O_RDONLY_NONBLOCK_CLOEXEC = 04000L | 02000000L;
    private static final long EXEC_WAIT_NANOS = 2_000_000_000L;

    private final StateStore store;
    private final StatusProbe probe;
    private List<String> warnings = List.of();

    public ContainerStarter(StateStore store, StatusProbe probe) {
        this.store = store;
        this.probe = probe;
    }

    /** What the last start could not do but did not fail for (poststart hooks that failed). */
    public List<String> warnings() {
        return warnings;
    }

    public ContainerState start(String id) {
        try (ContainerLock lock = store.lock(id)) {
            ContainerState state = store.load(id);
            ContainerStatus status = probe.status(state, store.containerDir(id));
            switch (status) {
                case CREATED -> { }
                case STOPPED -> throw new JrunException("cannot start a container that has stopped");
                case RUNNING, PAUSED -> throw new JrunException("cannot start an already running container");
                default -> throw new JrunException("cannot start a container in the " + status.jsonName() + " state");
            }
            jrun.spec.Hooks hooks = LifecycleHooks.load(store.containerDir(id));
            try {
                LifecycleHooks.runStartContainer(hooks, state);
            } catch (RuntimeException e) {
                // The spec: a failed startContainer hook stops the container.
                try (Pidfd init = Pidfd.ofInit(state)) {
                    if (init != null) {
                        init.signal(9);
                    }
                }
                throw e;
            }
            release(store.execFifo(id), state);
            awaitExec(state);
            ContainerState running = state.withStatus(ContainerStatus.RUNNING);
            store.save(running);
            warnings = LifecycleHooks.runPoststart(hooks, running);
            return running;
        }
    }

    /**
     * Waits the few milliseconds until the released init has exec'd the container's process,
     * so that an init frozen in the JVM (see {@link ChildLauncher#inFutex}) is caught here and
     * killed rather than left looking like a running container.
     */
    private void awaitExec(ContainerState state) {
        Path exe = Path.of("/proc", Integer.toString(state.pid()), "exe");
        Path ours;
        try {
            ours = Files.readSymbolicLink(Path.of("/proc/self/exe"));
        } catch (java.io.IOException e) {
            return;
        }
        int strikes = 0;
        long deadline = System.nanoTime() + EXEC_WAIT_NANOS;
        while (System.nanoTime() < deadline && probe.processAlive(state)) {
            try {
                if (!Files.readSymbolicLink(exe).equals(ours)) {
                    return;
                }
            } catch (java.io.IOException e) {
                return;
            }
            if (ChildLauncher.inFutex(state.pid()) && ++strikes >= 3) {
                try (Pidfd init = Pidfd.ofInit(state)) {
                    if (init != null) {
                        init.signal(9);
                    }
                }
                throw new JrunException("the container's init process " + state.pid()
                        + " froze in the JVM before it could exec the container's process and was killed");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void release(Path fifo, ContainerState state) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = arena.allocateFrom(fifo.toString(), StandardCharsets.UTF_8);
            int fd = (int) Sys.call("open the exec fifo " + fifo, SyscallNr.OPENAT, -100, path.address(),
                    O_RDONLY_NONBLOCK_CLOEXEC);
            try {
                MemorySegment buf = arena.allocate(1);
                while (true) {
                    if (Poll.readable(fd, 100)) {
                        long n = Sys.attempt(SyscallNr.READ, fd, buf.address(), 1);
                        if (n == 1) {
                            break;
                        }
                        if (n == 0 || n != -Errno.EAGAIN) {
                            throw new JrunException("the container's init process exited before it could start");
                        }
                    } else if (!probe.processAlive(state)) {
                        throw new JrunException("cannot start a container that has stopped");
                    }
                }
            } finally {
                Sys.attempt(SyscallNr.CLOSE, fd);
            }
            Files.deleteIfExists(fifo);
        } catch (java.io.IOException e) {
            throw new JrunException("cannot remove the exec fifo " + fifo + ": " + e.getMessage(), e);
        }
    }
}
