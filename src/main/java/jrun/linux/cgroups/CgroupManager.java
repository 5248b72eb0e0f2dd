package jrun.linux.cgroups;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jrun.spec.Resources;

/**
 * One container's cgroup, on whichever kind of host: {@link CgroupV2} or {@link CgroupV1}
 * (which also serves hybrid hosts). Made for a new container by {@link Cgroups#prepare}, and
 * for an existing one from the paths its state saved, by {@link Cgroups#of}.
 */
public interface CgroupManager {
    CgroupMode mode();

    /**
     * The directories to save in the container's state: controller to directory on v1 (several
     * controllers may share one), and {@code "unified"} for the cgroup2 directory (the only key
     * on v2).
     */
    Map<String, String> paths();

    /**
     * The directory holding {@code controller}'s files ({@code memory}, {@code cpu}, ...); the
     * cgroup's one directory on v2; null when the controller is not mounted (v1).
     */
    Path dir(String controller);

    /**
     * Creates the cgroup (and missing parents), applies the resources and the device rules.
     * An existing cgroup is reused only when no process is in it. On failure, everything this
     * call created is removed again.
     *
     * @param where how errors name the resources, e.g. {@code config.json: /linux/resources}
     */
    void create(Resources resources, DeviceRules.Result devices, String where);

    /**
     * An O_PATH fd of the cgroup2 directory for clone3's CLONE_INTO_CGROUP, which the caller
     * closes: the cgroup on v2, its directory in the unified hierarchy on a hybrid host; -1 on
     * pure v1.
     */
    int openForClone();

    /**
     * The files a new single-threaded process writes {@code 0} (itself) to, to move itself into
     * the v1 hierarchies after a clone with {@link #openForClone}: each hierarchy's {@code tasks}.
     * A thread that moves itself skips the kernel's global lock that a move by pid takes, and
     * that lock's RCU grace period, which {@link #addProcess} of a new init waits for, two orders
     * of magnitude longer. Empty on v2.
     */
    List<Path> selfJoinFiles();

    /** Moves a process into the cgroup (every hierarchy on v1, and the unified one on a hybrid host). */
    void addProcess(int pid);

    /**
     * Changes the limits of a live cgroup ({@code jrun update}); with
     * {@code memory.checkBeforeUpdate}, refuses a memory limit below the current usage.
     */
    void update(Resources resources, String where);

    /** Whether the cgroup directory still exists. */
    boolean exists();

    /** Every process in the cgroup and in any cgroup below it. */
    List<Integer> pids();

    /** Freezes every process and returns once they are frozen. */
    void freeze();

    void thaw();

    boolean isFrozen();

    /**
     * Sends {@code signal} to every process in the cgroup. A SIGKILL reaches frozen processes
     * too (the cgroup is thawed for them to die).
     */
    void signalAll(int signal);

    /**
     * Kills whatever is left in the cgroup, waits until it is empty and removes it (and any
     * cgroup a process made below it). Does nothing when it is already gone.
     */
    void destroy();

    /** How many processes the kernel's OOM killer has killed in this cgroup. */
    long oomKills();

    /**
     * A non-blocking, close-on-exec fd that turns readable when {@link #oomKills} may have grown
     * (read it empty with {@code Notifier.drain}), as runc's shim and runc's {@code events} wait
     * for OOM kills: on v1 an eventfd registered through {@code cgroup.event_control} for
     * {@code memory.oom_control} (signalled when the cgroup is under OOM, and when it is
     * removed), on v2 inotify on {@code memory.events}. -1 when the cgroup has no memory
     * controller. The caller closes it.
     */
    int openOomNotifier();
}
