package jrun.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jrun.base.JrunException;
import jrun.state.ContainerLock;
import jrun.state.ContainerNotFoundException;
import jrun.state.ContainerState;
import jrun.state.ContainerStatus;
import jrun.state.ProcStat;
import jrun.state.StateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerDeleterTest {
    @TempDir
    Path root;

    final Map<Integer, ProcStat> procs = new HashMap<>();
    final List<String> events = new ArrayList<>();
    StateStore store;
    ContainerDeleter deleter;

    private void setUp(List<ContainerDeleter.Release> releases) {
        store = new StateStore(root);
        StatusProbe probe = new StatusProbe(procs::get);
        deleter = new ContainerDeleter(store, probe, s -> {
            events.add("kill " + s.pid());
            procs.remove(s.pid());
        }, releases);
    }

    private void setUp() {
        setUp(List.of(s -> events.add("release cgroup of " + s.id()), s -> events.add("poststop " + s.id())));
    }

    /** A container saved with {@code status} whose process 100 is alive (or not). */
    private void container(String id, ContainerStatus status, boolean alive, boolean fifo) throws Exception {
        try (ContainerLock lock = store.create(ContainerState.creating("1.2.0", id, "/b", "/b/rootfs", Map.of())
                .withStatus(status).withProcess(100, 555))) {
            if (fifo) {
                Files.createFile(lock.containerDir().resolve(StateStore.EXEC_FIFO));
            }
        }
        if (alive) {
            procs.put(100, new ProcStat(100, 'S', 555));
        }
    }

    @Test
    void aStoppedContainerIsReleasedThenRemoved() throws Exception {
        setUp();
        container("c", ContainerStatus.RUNNING, false, false);
        deleter.delete("c", false);
        assertEquals(List.of("release cgroup of c", "poststop c"), events);
        assertFalse(Files.exists(root.resolve("c")));
    }

    @Test
    void aCreatedContainerIsKilledAndRemovedWithoutForceAsRuncDoes() throws Exception {
        setUp();
        container("c", ContainerStatus.CREATED, true, true);
        deleter.delete("c", false);
        assertEquals(List.of("kill 100", "release cgroup of c", "poststop c"), events);
        assertFalse(Files.exists(root.resolve("c")));
    }

    /** What a crash can leave of a state file written without fsync (StateStore.writeAtomically). */
    @Test
    void anEmptyStateFileIsReportedCorruptAndRemovedWithForce() throws Exception {
        setUp();
        container("c", ContainerStatus.RUNNING, false, false);
        Files.write(root.resolve("c").resolve(StateStore.STATE_FILE), new byte[0]);
        JrunException e = assertThrows(JrunException.class, () -> deleter.delete("c", false));
        assertTrue(e.getMessage().startsWith("corrupt container state "), e.getMessage());
        assertTrue(Files.exists(root.resolve("c")));
        deleter.delete("c", true);
        assertFalse(Files.exists(root.resolve("c")));
        assertEquals(List.of(), events);
    }

    @Test
    void aLiveContainerIsRefusedWithoutForceAndKeptIntact() throws Exception {
        setUp();
        container("r", ContainerStatus.RUNNING, true, false);
        JrunException e = assertThrows(JrunException.class, () -> deleter.delete("r", false));
        assertEquals("cannot delete container r that is not stopped: running", e.getMessage());
        assertEquals(List.of(), events);
        assertEquals(ContainerStatus.RUNNING, store.load("r").status());

        container("p", ContainerStatus.PAUSED, true, false);
        assertEquals("cannot delete container p that is not stopped: paused",
                assertThrows(JrunException.class, () -> deleter.delete("p", false)).getMessage());
        container("n", ContainerStatus.CREATING, true, true);
        assertEquals("cannot delete container n that is not stopped: creating",
                assertThrows(JrunException.class, () -> deleter.delete("n", false)).getMessage());
    }

    @Test
    void forceKillsThenRemoves() throws Exception {
        setUp();
        container("r", ContainerStatus.RUNNING, true, false);
        deleter.delete("r", true);
        assertEquals(List.of("kill 100", "release cgroup of r", "poststop r"), events);
        assertThrows(ContainerNotFoundException.class, () -> store.load("r"));
    }

    @Test
    void aMissingContainerIsAnErrorUnlessForced() throws Exception {
        setUp();
        assertEquals("container does not exist: ghost",
                assertThrows(ContainerNotFoundException.class, () -> deleter.delete("ghost", false)).getMessage());
        deleter.delete("ghost", true);
        Files.createDirectories(root.resolve("junk/x"));
        assertThrows(ContainerNotFoundException.class, () -> deleter.delete("junk", false));
        assertTrue(Files.exists(root.resolve("junk")));
        deleter.delete("junk", true);
        assertFalse(Files.exists(root.resolve("junk")), "runc delete --force removes what is left under the id");
        assertEquals(List.of(), events);
    }

    @Test
    void aCorruptStateIsAnErrorUnlessForced() throws Exception {
        setUp();
        container("c", ContainerStatus.RUNNING, false, false);
        Files.writeString(root.resolve("c/state.json"), "{not json");
        assertThrows(JrunException.class, () -> deleter.delete("c", false));
        assertTrue(Files.exists(root.resolve("c")));
        deleter.delete("c", true);
        assertFalse(Files.exists(root.resolve("c")));
    }

    @Test
    void aFailingReleaseKeepsTheStateForAnotherTry() throws Exception {
        setUp(List.of(s -> {
            throw new JrunException("cgroup busy");
        }));
        container("c", ContainerStatus.RUNNING, false, false);
        assertEquals("cgroup busy", assertThrows(JrunException.class, () -> deleter.delete("c", false)).getMessage());
        assertEquals("c", store.load("c").id());
    }

    @Test
    void idsAreValidatedBeforeAnythingIsTouched() {
        setUp();
        assertThrows(JrunException.class, () -> deleter.delete("../c", true));
        assertFalse(Files.exists(root.resolve("../c")));
    }

    @Test
    void forceKillsARealProcess() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            int pid = (int) sleep.pid();
            StateStore real = new StateStore(root);
            real.create(ContainerState.creating("1.2.0", "s", "/b", "/b/rootfs", Map.of())
                    .withStatus(ContainerStatus.RUNNING).withProcess(pid, ProcStat.read(pid).startTime())).close();
            assertThrows(JrunException.class, () -> ContainerDeleter.basic(real).delete("s", false));
            assertTrue(sleep.isAlive());
            ContainerDeleter.basic(real).delete("s", true);
            assertTrue(sleep.waitFor(5, TimeUnit.SECONDS), "SIGKILLed");
            assertFalse(Files.exists(root.resolve("s")));
        } finally {
            sleep.destroyForcibly();
        }
    }
}
