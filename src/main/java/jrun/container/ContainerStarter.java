package jrun.container;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import jrun.base.JrunException;
import jrun.process.ChildLauncher;
import jrun.process.InitProgram;
import jrun.process.Pidfd;
import jrun.spec.Hooks;
import jrun.state.ContainerLock;
import jrun.state.ContainerState;
import jrun.state.ContainerStatus;
import jrun.state.StateStore;

/**
 * {@code start}: opens the exec fifo for reading, which releases the init blocked on opening it
 * for writing into the last steps before execve, then removes the fifo (its absence is what
 * makes the status {@code running}).
 */
public final class ContainerStarter {
    private static final long WATCHDOG_INTERVAL_NANOS = 20_000_000L;
    private static final byte WATCHDOG_BYTE = 'x';
    private static final long EXEC_WAIT_NANOS = 2_000_000_000L;

    private final StateStore store;
    private final StatusProbe probe;

    public ContainerStarter(StateStore store, StatusProbe probe) {
        this.store = store;
        this.probe = probe;
    }

    public ContainerState start(String id) {
        try (ContainerLock lock = store.lock(id)) {
            ContainerState state = store.load(id);
            ContainerStatus status = probe.status(state, store.containerDir(id));
            Lifecycle.check(Lifecycle.Verb.START, status, id);
            return startHeld(state, s -> {
                release(store.execFifo(id), s);
                awaitExec(s);
            });
        }
    }

    /**
     * {@code run}'s start of the container it has just created, whose lock it still holds: the
     * state is the one it saved. {@code run} holds the init's report pipe, which closes on the
     * execve (or the init's death, or carries its failure): {@code awaitExec} waits on it, with
     * the exec fifo held open for reading meanwhile, so the init's open of the fifo returns and
     * its byte stays unread. Neither the byte nor a watchdog for an init that dies before writing
     * it is needed (a thread and a blocking read, on every run).
     */
    public ContainerState startCreated(ContainerLock held, ContainerState created, Consumer<ContainerState> awaitExec) {
        if (!held.isHeld() || !held.id().equals(created.id())) {
            throw new IllegalStateException("the lock of container " + created.id() + " is not held");
        }
        Path fifo = store.execFifo(created.id());
        return startHeld(created, state -> {
            try (FileChannel reader = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                awaitExec.accept(state);
            } catch (IOException e) {
                throw new JrunException("cannot use the exec fifo " + fifo + ": " + e, e);
            }
            removeFifo(fifo);
        });
    }

    /**
     * @param releaseAndAwait lets the init go and returns once it has exec'd the container's
     *                        process (or throws)
     */
    private ContainerState startHeld(ContainerState state, Consumer<ContainerState> releaseAndAwait) {
        String id = state.id();
        Hooks hooks = LifecycleHooks.load(store.containerDir(id));
        try {
            LifecycleHooks.runStartContainer(hooks, state);
        } catch (RuntimeException e) {
            stop(state);
            throw e;
        }
        releaseAndAwait.accept(state);
        // Not saved: a container's status is read live (StatusProbe: its process alive, the exec
        // fifo gone), as runc's state keeps none; rewriting the state file would cost
        // every start and run.
        ContainerState running = state.withStatus(ContainerStatus.RUNNING);
        try {
            LifecycleHooks.runPoststart(hooks, running);
        } catch (RuntimeException e) {
            stop(state);
            throw e;
        }
        return running;
    }

    /**
     * The runtime-spec's lifecycle (steps 7 and 9): a failed startContainer or poststart hook
     * is an error that stops the container (runc kills it too); delete removes it then.
     */
    private static void stop(ContainerState state) {
        try (Pidfd init = Pidfd.ofInit(state)) {
            if (init != null) {
                init.signal(9);
            }
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

    /**
     * Lets the init go: it is blocked opening the exec fifo for writing; once we open it for
     * reading it writes {@link InitProgram#EXEC_FIFO_BYTE} and goes on to exec.
     *
     * <p>With Java's own I/O, not jrun.sys: nothing else in a plain {@code start} needs a system
     * call of jrun's, and linking the FFM downcall handle would slow every start.
     * Java cannot open without waiting for the other end (O_NONBLOCK), but opening a FIFO
     * read-write never waits. Being a writer ourselves, we would never see end-of-file if the
     * init died before writing, so a watchdog that sees the init gone writes a byte of its own
     * through a second descriptor: the read then returns the init's byte if the init wrote one
     * (a FIFO keeps order, and a dead init writes nothing more), else the watchdog's. (Closing
     * the channel instead would lose the byte of an init that wrote and then exec'd a process
     * that exited at once: StressIT caught that.)
     */
    private void release(Path fifo, ContainerState state) {
        try (FileChannel channel = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel wake = FileChannel.open(fifo, StandardOpenOption.WRITE)) {
            AtomicBoolean done = new AtomicBoolean();
            Thread watchdog = Thread.ofPlatform().daemon().name("jrun-start-watchdog").start(() -> {
                while (!done.get()) {
                    if (!probe.processAlive(state)) {
                        try {
                            wake.write(ByteBuffer.wrap(new byte[] {WATCHDOG_BYTE}));
                        } catch (IOException ignored) {
                            // closed: the read has ended already
                        }
                        return;
                    }
                    LockSupport.parkNanos(WATCHDOG_INTERVAL_NANOS);
                }
            });
            ByteBuffer first = ByteBuffer.allocate(1);
            try {
                channel.read(first);
            } finally {
                done.set(true);
                LockSupport.unpark(watchdog);
            }
            if (first.position() != 1 || first.get(0) != InitProgram.EXEC_FIFO_BYTE) {
                throw new JrunException("cannot start a container that has stopped");
            }
        } catch (IOException e) {
            throw new JrunException("cannot use the exec fifo " + fifo + ": " + e, e);
        }
        removeFifo(fifo);
    }

    /** Its absence is what makes the status {@code running}. */
    private static void removeFifo(Path fifo) {
        try {
            Files.deleteIfExists(fifo);
        } catch (IOException e) {
            throw new JrunException("cannot remove the exec fifo " + fifo + ": " + e.getMessage(), e);
        }
    }
}
