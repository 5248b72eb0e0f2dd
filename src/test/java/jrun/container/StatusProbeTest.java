package jrun.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jrun.state.ContainerState;
import jrun.state.ContainerStatus;
import jrun.state.ProcStat;
import jrun.state.StateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusProbeTest {
    @TempDir
    Path dir;

    final Map<Integer, ProcStat> procs = new HashMap<>();
    final StatusProbe probe = new StatusProbe(procs::get);

    static ContainerState saved(ContainerStatus status, int pid, long startTime) {
        return ContainerState.creating("1.2.0", "c", "/b", "/b/rootfs", Map.of()).withStatus(status).withProcess(pid, startTime);
    }

    private void fifo() throws Exception {
        Files.createFile(dir.resolve(StateStore.EXEC_FIFO));
    }

    @Test
    void aLiveProcessWithTheFifoIsCreatedAndWithoutItRunning() throws Exception {
        procs.put(100, new ProcStat(100, 'S', 555));
        fifo();
        assertEquals(ContainerStatus.CREATED, probe.status(saved(ContainerStatus.CREATED, 100, 555), dir));
        Files.delete(dir.resolve(StateStore.EXEC_FIFO));
        assertEquals(ContainerStatus.RUNNING, probe.status(saved(ContainerStatus.CREATED, 100, 555), dir));
        assertEquals(ContainerStatus.RUNNING, probe.status(saved(ContainerStatus.RUNNING, 100, 555), dir));
    }

    @Test
    void aRecycledPidIsNotTheContainer() throws Exception {
        procs.put(100, new ProcStat(100, 'S', 999));   // same pid, another process
        fifo();
        assertEquals(ContainerStatus.STOPPED, probe.status(saved(ContainerStatus.RUNNING, 100, 555), dir));
        assertEquals(ContainerStatus.STOPPED, probe.status(saved(ContainerStatus.CREATED, 100, 555), dir));
        assertFalse(probe.processAlive(saved(ContainerStatus.RUNNING, 100, 555)));
    }

    @Test
    void aZombieOrAbsentProcessIsStopped() {
        procs.put(100, new ProcStat(100, 'Z', 555));
        assertEquals(ContainerStatus.STOPPED, probe.status(saved(ContainerStatus.RUNNING, 100, 555), dir));
        assertEquals(ContainerStatus.STOPPED, probe.status(saved(ContainerStatus.RUNNING, 101, 555), dir));
        assertEquals(ContainerStatus.STOPPED, probe.status(saved(ContainerStatus.PAUSED, 101, 555), dir));
        assertEquals(ContainerStatus.STOPPED, probe.status(saved(ContainerStatus.RUNNING, 0, 0), dir));
    }

    @Test
    void pausedAndCreatingComeFromTheSavedStatusWhileTheProcessLives() throws Exception {
        procs.put(100, new ProcStat(100, 'S', 555));
        fifo();
        assertEquals(ContainerStatus.PAUSED, probe.status(saved(ContainerStatus.PAUSED, 100, 555), dir));
        assertEquals(ContainerStatus.CREATING, probe.status(saved(ContainerStatus.CREATING, 100, 555), dir));
        assertEquals(ContainerStatus.STOPPED, probe.status(saved(ContainerStatus.CREATING, 100, 1), dir));
        assertEquals(ContainerStatus.CREATING, probe.status(saved(ContainerStatus.CREATING, 0, 0), dir),
                "no process yet: create is still at work");
    }

    @Test
    void aRealProcessIsRunningUntilKilled() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            int pid = (int) sleep.pid();
            ProcStat stat = ProcStat.read(pid);
            ContainerState s = saved(ContainerStatus.RUNNING, pid, stat.startTime());
            StatusProbe real = StatusProbe.system();
            assertTrue(real.processAlive(s));
            assertEquals(ContainerStatus.RUNNING, real.status(s, dir));
            assertEquals(ContainerStatus.STOPPED, real.status(s.withProcess(pid, stat.startTime() + 1), dir),
                    "another start time is another process");
            sleep.destroyForcibly();
            assertTrue(sleep.waitFor(10, TimeUnit.SECONDS));
            assertEquals(ContainerStatus.STOPPED, real.status(s, dir));
        } finally {
            sleep.destroyForcibly();
        }
    }
}
