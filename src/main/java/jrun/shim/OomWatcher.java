package jrun.shim;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import jrun.linux.cgroups.CgroupManager;
import jrun.linux.cgroups.OomEvents;
import jrun.sys.Epoll;

/**
 * TaskOOM: the OOM kills of each running container's memory cgroup, each new kill one event (as
 * runc's shim sends them on cgroup v1). One thread for all the shim's containers sleeps in
 * epoll_wait on their OOM notifiers ({@link OomEvents}, the kernel's notices that {@code jrun
 * events} waits for too) and reads a container's count only when the kernel says it may have
 * grown: no polling (but for the moments between a cgroup v1 notice and the kill it announces).
 */
final class OomWatcher {
    private static final int BATCH = 16;

    private final Epoll epoll = Epoll.create("the containers' OOM notices");
    private final Map<Long, Task> watched = new ConcurrentHashMap<>();
    /** The tasks whose kill a cgroup v1 notice announced and that are not counted yet (see OomEvents). */
    private final Set<Task> expecting = ConcurrentHashMap.newKeySet();
    private final AtomicLong tokens = new AtomicLong();
    private final Consumer<Task> oom;

    private OomWatcher(Consumer<Task> oom) {
        this.oom = oom;
    }

    /** A watcher whose thread hands each container's new OOM kills to {@code oom}, one call each. */
    static OomWatcher start(Consumer<Task> oom) {
        OomWatcher watcher = new OomWatcher(oom);
        Thread.ofPlatform().daemon().name("oom watcher").start(watcher::run);
        return watcher;
    }

    /** Watches the task's cgroup from now on, until {@link #finish}. */
    void watch(Task task, CgroupManager cgroup) {
        OomEvents events = OomEvents.watch(cgroup);
        long token = tokens.incrementAndGet();
        synchronized (task) {
            task.oom = events;
            task.oomToken = token;
        }
        if (events.fd() < 0) {
            return;
        }
        watched.put(token, task);
        try {
            epoll.add(events.fd(), token);
        } catch (RuntimeException e) {
            forget(task);
            throw e;
        }
    }

    /**
     * Reports the kills not reported yet and stops watching: called once the init has exited,
     * before its TaskExit, so that an OOM-killed init's TaskOOM comes first. The task's lock
     * orders this against the watcher thread's report of the same kill.
     */
    void finish(Task task) {
        synchronized (task) {
            OomEvents events = task.oom;
            if (events == null) {
                return;
            }
            report(task);
            forget(task);
        }
    }

    private void forget(Task task) {
        synchronized (task) {
            OomEvents events = task.oom;
            watched.remove(task.oomToken);
            expecting.remove(task);
            if (events.fd() >= 0) {
                epoll.remove(events.fd());
            }
            events.close();
            task.oom = null;
        }
    }

    private void run() {
        long[] ready = new long[BATCH];
        while (true) {
            int n = epoll.await(ready, expecting.isEmpty() ? -1 : OomEvents.RECHECK_MS);
            for (int i = 0; i < n; i++) {
                Task task = watched.get(ready[i]);
                if (task != null) {
                    check(task);
                }
            }
            for (Task task : expecting) {
                check(task);
            }
        }
    }

    private void check(Task task) {
        synchronized (task) {
            report(task);
            OomEvents events = task.oom;
            if (events != null && events.expected()) {
                expecting.add(task);
            } else {
                expecting.remove(task);
            }
        }
    }

    /** Under the task's lock. */
    private void report(Task task) {
        OomEvents events = task.oom;
        if (events == null) {
            return;
        }
        for (long k = events.newKills(); k > 0; k--) {
            oom.accept(task);
        }
    }
}
