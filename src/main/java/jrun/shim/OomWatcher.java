package jrun.shim;

import java.util.Collection;
import java.util.function.Consumer;
import jrun.linux.cgroups.CgroupManager;

/**
 * TaskOOM: the OOM kills of each running container's memory cgroup (memory.oom_control's
 * oom_kill on v1, memory.events' oom_kill on v2), read as {@code jrun events} reads them, by one
 * thread for all the shim's containers; each new kill is one event, as runc's shim sends them.
 */
final class OomWatcher {
    private static final long PERIOD_MS = 200;

    private OomWatcher() {}

    /** Watches {@code tasks} (live: containers come and go) and reports each container's new OOM kills. */
    static void start(Collection<Task> tasks, Consumer<Task> oom) {
        Thread.ofPlatform().daemon().name("oom watcher").start(() -> {
            while (true) {
                try {
                    Thread.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                }
                for (Task t : tasks) {
                    check(t, oom);
                }
            }
        });
    }

    /**
     * Reports the container's OOM kills not reported yet. Also called once its init has exited,
     * before its TaskExit: an OOM kill of the init ends the container between two periods.
     */
    static void check(Task task, Consumer<Task> oom) {
        synchronized (task) {
            CgroupManager cgroup = task.cgroup;
            if (cgroup != null && !task.oomChecksOver && cgroup.exists()) {
                report(task, cgroup, oom);
            }
            task.oomChecksOver = task.init.hasExited();
        }
    }

    private static void report(Task task, CgroupManager cgroup, Consumer<Task> oom) {
        long kills;
        try {
            kills = cgroup.oomKills();
        } catch (RuntimeException e) {
            return; // the cgroup went away between the check and the read
        }
        for (; task.oomKillsSeen < kills; task.oomKillsSeen++) {
            oom.accept(task);
        }
    }
}
