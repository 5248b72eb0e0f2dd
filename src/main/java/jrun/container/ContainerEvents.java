package jrun.container;

import jrun.base.JrunException;
import jrun.linux.cgroups.CgroupManager;
import jrun.linux.cgroups.CgroupStats;
import jrun.linux.cgroups.Cgroups;
import jrun.state.ContainerId;
import jrun.state.ContainerState;
import jrun.state.ContainerStatus;
import jrun.state.StateStore;

/**
 * {@code events}: runc's events of a container, handed to a {@link Sink}: its cgroup's stats
 * every interval (once with {@code statsOnce}), and an {@code oom} event whenever the kernel's
 * OOM killer kills one of its processes, until it stops. Asked about a stopped container whose
 * cgroup shows OOM kills, it reports them once (runc would only say that it is not running), so
 * that events explains why a container died.
 */
public final class ContainerEvents {
    private static final long OOM_POLL_NANOS = 100_000_000L;

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
        long ooms = cgroup.oomKills();
        long nextStats = System.nanoTime() + intervalNanos;
        while (true) {
            long now = cgroup.exists() ? cgroup.oomKills() : ooms;
            for (; ooms < now; ooms++) {
                sink.accept(new Event("oom", id, null));
            }
            if (!probe.processAlive(state) || !cgroup.exists()) {
                return;
            }
            if (System.nanoTime() - nextStats >= 0) {
                sink.accept(stats(id, cgroup));
                nextStats += intervalNanos;
            }
            sleepNanos(Math.min(OOM_POLL_NANOS, Math.max(1_000_000L, nextStats - System.nanoTime())));
        }
    }

    private static Event stats(String id, CgroupManager cgroup) {
        return new Event("stats", id, CgroupStats.of(cgroup));
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JrunException("interrupted", e);
        }
    }
}
