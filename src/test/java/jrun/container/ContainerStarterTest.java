package jrun.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jrun.base.JrunException;
import jrun.state.ContainerLock;
import jrun.state.ContainerState;
import jrun.state.ContainerStatus;
import jrun.state.ProcStat;
import jrun.state.StateStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * start's release of the init through the exec fifo, without a real container: the init is a
 * thread that opens the fifo for writing as the real one does, and its liveness is what the
 * probe says. A real FIFO (mkfifo) is needed, since start's non-blocking open depends on it.
 */
class ContainerStarterTest {
    /** A pid no process has (above the default pid_max), so nothing of the host is read for it. */
    private static final int PID = 4_194_999;
    private static final long START_TIME = 555;

    @TempDir
    Path root;

    private final Map<Integer, ProcStat> procs = new ConcurrentHashMap<>();
    private StateStore store;
    private Path fifo;

    @BeforeEach
    void createdContainer() throws Exception {
        store = new StateStore(root);
        fifo = created("c");
    }

    /** A container in the created state whose init (PID) is alive; returns its exec fifo. */
    private Path created(String id) throws Exception {
        Path path;
        try (ContainerLock lock = store.create(ContainerState.creating("1.2.0", id, "/b", "/b/rootfs", Map.of())
                .withStatus(ContainerStatus.CREATED).withProcess(PID, START_TIME))) {
            path = lock.containerDir().resolve(StateStore.EXEC_FIFO);
        }
        Process mkfifo = new ProcessBuilder("mkfifo", "-m", "0622", path.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        procs.put(PID, new ProcStat(PID, 'S', START_TIME));
        return path;
    }

    private ContainerStatus liveStatus(String id) {
        return new StatusProbe(procs::get).status(store.load(id), store.containerDir(id));
    }

    private ContainerStarter starter() {
        return new ContainerStarter(store, new StatusProbe(procs::get));
    }

    @Test
    void theInitBlockedOnTheFifoIsReleasedAndTheContainerRuns() throws Exception {
        byte[] received = new byte[1];
        Thread init = Thread.ofPlatform().start(() -> {
            try (FileOutputStream out = new FileOutputStream(fifo.toFile())) { // blocks until start reads
                out.write('0');
                received[0] = 1;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        ContainerState running = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> starter().start("c"));
        init.join(5000);
        assertEquals(1, received[0], "the init's write went through");
        assertEquals(ContainerStatus.RUNNING, running.status());
        assertEquals(ContainerStatus.RUNNING, liveStatus("c"));
        assertFalse(Files.exists(fifo), "the fifo is removed once used");
    }

    /** The init writes its byte, execs, and the process exits at once (run of /bin/true). */
    @Test
    void anInitThatWritesAndIsGoneAtOnceStillCountsAsStarted() throws Exception {
        for (int round = 0; round < 20; round++) {
            String id = "quick-" + round;
            Path path = created(id);
            Thread init = Thread.ofPlatform().start(() -> {
                try (FileOutputStream out = new FileOutputStream(path.toFile())) {
                    out.write('0');
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                procs.remove(PID); // gone before start has necessarily read the byte
            });
            ContainerState running = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> starter().start(id));
            init.join(5000);
            assertEquals(ContainerStatus.RUNNING, running.status(), "round " + round);
        }
    }

    @Test
    void anInitThatDiesWhileStartWaitsFailsStartInsteadOfHangingIt() {
        // Alive when start checks the status, gone a moment later, never having opened the fifo.
        Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            procs.remove(PID);
        });
        JrunException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(JrunException.class, () -> starter().start("c")));
        assertTrue(e.getMessage().contains("stopped"), e.getMessage());
        assertTrue(Files.exists(fifo), "start did not complete: the exec fifo is still there");
    }

    /** run's start, under the lock its create kept: the state it passes is not read again. */
    @Test
    void runStartsTheContainerItCreatedUnderTheLockItStillHolds() throws Exception {
        Thread init = Thread.ofPlatform().start(() -> {
            try (FileOutputStream out = new FileOutputStream(fifo.toFile())) {
                out.write('0');
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        ContainerState created = store.load("c");
        List<ContainerState> seenAtExec = new ArrayList<>();
        try (ContainerLock held = store.lock("c")) {
            // as run's wait on the report pipe: it returns once the init has written and exec'd
            ContainerState running = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> starter().startCreated(held, created, s -> {
                        seenAtExec.add(s);
                        joinQuietly(init);
                    }));
            assertEquals(ContainerStatus.RUNNING, running.status());
            assertTrue(held.isHeld(), "the caller still holds the lock");
        }
        assertFalse(init.isAlive(), "the init's open and write of the fifo returned");
        assertEquals(List.of(created), seenAtExec, "the exec is awaited once, for the created state");
        assertEquals(ContainerStatus.RUNNING, liveStatus("c"));
    }

    @Test
    void runsStartRefusesALockNoLongerHeld() throws Exception {
        ContainerState created = store.load("c");
        ContainerLock released = store.lock("c");
        released.close();
        assertThrows(IllegalStateException.class, () -> starter().startCreated(released, created, s -> { }));
        assertTrue(Files.exists(fifo), "nothing was started: the exec fifo is still there");
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
