package jrun.container;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import jrun.linux.cgroups.CgroupManager;
import jrun.linux.cgroups.Cgroups;
import jrun.state.ContainerState;
import jrun.state.ContainerStatus;
import jrun.state.ProcStat;
import jrun.state.StateStore;

/**
 * The live status of a container, from its saved state, its process and its exec fifo:
 * <ul>
 * <li>its process is alive when a process with its pid exists, has the saved start time (else
 *     the pid was recycled) and is not a zombie; otherwise the container is {@code stopped};
 * <li>alive and saved as {@code creating}: that status (the saved status is its only record);
 * <li>alive and its cgroup frozen: {@code paused}, as runc reads it from the freezer (the
 *     saved status decides for a container without cgroup paths in its state);
 * <li>alive and the exec fifo still exists: {@code created} ({@code start} removes it);
 * <li>alive otherwise: {@code running}.
 * </ul>
 * A container saved as {@code creating} with no process yet (pid 0) is {@code creating}: its
 * {@code create} has not started the process. If that {@code create} died, only
 * {@code delete --force} removes it.
 */
public final class StatusProbe {
    /** Reads a process's stat; null when there is no such process. Tests substitute it. */
    @FunctionalInterface
    public interface ProcReader {
        ProcStat stat(int pid);
    }

    private final ProcReader proc;

    public StatusProbe(ProcReader proc) {
        this.proc = proc;
    }

    /** Reads the real {@code /proc}. */
    public static StatusProbe system() {
        return new StatusProbe(ProcStat::read);
    }

    /** Whether the saved process is alive: same pid, same start time, not a zombie. */
    public boolean processAlive(ContainerState saved) {
        if (saved.pid() <= 0) {
            return false;
        }
        ProcStat stat = proc.stat(saved.pid());
        return stat != null && stat.startTime() == saved.pidStartTime() && !stat.isZombie();
    }

    /** The live status of the container whose state directory is {@code containerDir}. */
    public ContainerStatus status(ContainerState saved, Path containerDir) {
        if (saved.status() == ContainerStatus.CREATING && saved.pid() <= 0) {
            return ContainerStatus.CREATING;
        }
        if (!processAlive(saved)) {
            return ContainerStatus.STOPPED;
        }
        if (saved.status() == ContainerStatus.CREATING) {
            return saved.status();
        }
        boolean paused = saved.cgroupPaths().isEmpty() ? saved.status() == ContainerStatus.PAUSED
                : Cgroups.of(saved.cgroupPaths()).map(CgroupManager::isFrozen).orElse(false);
        if (paused) {
            return ContainerStatus.PAUSED;
        }
        if (Files.exists(containerDir.resolve(StateStore.EXEC_FIFO), LinkOption.NOFOLLOW_LINKS)) {
            return ContainerStatus.CREATED;
        }
        return ContainerStatus.RUNNING;
    }
}
