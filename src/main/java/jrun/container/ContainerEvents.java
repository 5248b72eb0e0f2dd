package jrun.container;

import jrun.linux.cgroups.CgroupManager;
import jrun.linux.cgroups.CgroupStats;
import jrun.linux.cgroups.Cgroups;
import jrun.linux.cgroups.OomEvents;
import jrun.process.Pidfd;
import jrun.state.ContainerId;
import jrun.state.ContainerState;
import jrun.state.ContainerStatus;
import jrun.state.StateStore;
import jrun.sys.Epoll;

/**
 * {@code events}: runc's events of a container, handed to a {@link Sink}: its cgroup's stats
 * every interval (once with {@code statsOnce}), and an {@code oom} event whenever the kernel's
 * OOM killer kills one of its processes, until it stops. Asked about a stopped container whose
 * cgroup shows OOM kills, it reports them once (runc would only say that it is not running), so
 * that events explains why a container died.
 */
public final class ContainerEvents {
    private static final long OOM_READY = 1;
    private static final long INIT_EXITED = 2;

    /** One event; {@code data} is null for {@code oom}. */
    public record Event(String type, String id, CgroupStats.Stats data) {}

    /** Where events go, each as soon as it happens. */
    @FunctionalInterface
    public interface Sink {
        void accept(Event event);
    }

    private final StateStore store;

    public ContainerEvents(StateStore store) {
        this.store = store;
    }

    /** Returns once the container stopped (or after the stats, with {@code statsOnce}). */
    public void watch(String rawId, boolean statsOnce, long intervalNanos, Sink sink) {
        String id = ContainerId.validate(rawId);
        ContainerState state = store.load(id);
        StatusProbe probe = StatusProbe.system();
        CgroupManager cgroup = Cgroups.of(state.cgroupPaths()).filter(CgroupManager::exists).orElse(null);
        ContainerStatus status = probe.status(state, store.containerDir(id));
        if (cgroup == null || !Lifecycle.allows(Lifecycle.Verb.EVENTS, status)) {
            if (cgroup != null && !statsOnce && cgroup.oomKills() > 0) {
                sink.accept(new Event("oom", id, null));
                return;
            }
            // Without a cgroup there is nothing to report: refused as a stopped container is.
            Lifecycle.check(Lifecycle.Verb.EVENTS, ContainerStatus.STOPPED, id);
        }
        if (statsOnce) {
            sink.accept(stats(id, cgroup));
            return;
        }
        try (OomEvents ooms = OomEvents.watch(cgroup); Pidfd init = Pidfd.ofInit(state);
                Epoll epoll = Epoll.create("the events of container " + id)) {
            report(id, ooms, cgroup, init, epoll, intervalNanos, sink);
        }
    }

    /**
     * Sleeps in epoll_wait until the kernel notifies an OOM kill, the init exits or the next stats
     * are due, as runc's events waits on its OOM notice and a ticker; ends once the init exited or
     * the cgroup is gone (which also wakes the OOM notifier).
     */
    private static void report(String id, OomEvents ooms, CgroupManager cgroup, Pidfd init, Epoll epoll,
                               long intervalNanos, Sink sink) {
        if (ooms.fd() >= 0) {
            epoll.add(ooms.fd(), OOM_READY);
        }
        if (init != null) {
            epoll.add(init.fd(), INIT_EXITED);
        }
        boolean exited = init == null;
        long[] ready = new long[2];
        long nextStats = System.nanoTime() + intervalNanos;
        while (true) {
            for (long k = ooms.newKills(); k > 0; k--) {
                sink.accept(new Event("oom", id, null));
            }
            if (exited || !cgroup.exists()) {
                return;
            }
            long untilStats = nextStats - System.nanoTime();
            if (untilStats <= 0) {
                sink.accept(stats(id, cgroup));
                nextStats += intervalNanos;
                continue;
            }
            long timeoutMs = (untilStats + 999_999L) / 1_000_000L;
            if (ooms.expected()) {
                timeoutMs = Math.min(timeoutMs, OomEvents.RECHECK_MS);
            }
            int n = epoll.await(ready, (int) Math.min(Integer.MAX_VALUE, timeoutMs));
            for (int i = 0; i < n; i++) {
                exited |= ready[i] == INIT_EXITED;
            }
        }
    }

    private static Event stats(String id, CgroupManager cgroup) {
        return new Event("stats", id, CgroupStats.of(cgroup));
    }

}
