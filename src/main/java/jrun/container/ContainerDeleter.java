package jrun.container;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import jrun.base.JrunException;
import jrun.linux.cgroups.CgroupManager;
import jrun.linux.cgroups.Cgroups;
import jrun.process.RuntimeNamespaceRootfs;
import jrun.state.ContainerId;
import jrun.state.ContainerLock;
import jrun.state.ContainerNotFoundException;
import jrun.state.ContainerState;
import jrun.state.ContainerStatus;
import jrun.state.StateStore;

/**
 * {@code delete}, with runc's rules, under the container's lock:
 * <ul>
 * <li>{@code stopped}: its resources and state are removed;
 * <li>{@code created}: its waiting process is killed first (runc needs no {@code --force}
 *     for a container that never started);
 * <li>{@code creating}, {@code running}, {@code paused}: refused, unless forced, then killed;
 * <li>no such container: an error, unless forced: then whatever directory is left under the
 *     id is removed and it succeeds.
 * </ul>
 * What else a container holds (cgroups, poststop hooks to run, ...) is released by
 * {@link Release} steps given by the parts of jrun that own them; they run in order once the
 * process is gone and before the state is removed, so a failing step leaves the state in place
 * for another try.
 */
public final class ContainerDeleter {
    /** One resource a deleted container gives back. */
    @FunctionalInterface
    public interface Release {
        void release(ContainerState state) throws Exception;
    }

    /** Ends the container's process(es) and returns once they are gone. */
    @FunctionalInterface
    public interface Killer {
        void killAndWait(ContainerState state);
    }

    private final StateStore store;
    private final StatusProbe probe;
    private final Killer killer;
    private final List<Release> releases;

    public ContainerDeleter(StateStore store, StatusProbe probe, Killer killer, List<Release> releases) {
        this.store = store;
        this.probe = probe;
        this.killer = killer;
        this.releases = List.copyOf(releases);
    }

    private static final int SIGKILL = 9;

    /**
     * A deleter that kills every process of the container's cgroup and its init, and removes
     * its cgroup (killing what a crashed container left in it) and its state.
     */
    public static ContainerDeleter basic(StateStore store) {
        return basic(store, List.of());
    }

    /** {@link #basic(StateStore)} with more release steps after the cgroup's (poststop hooks). */
    public static ContainerDeleter basic(StateStore store, List<Release> more) {
        List<Release> releases = new ArrayList<>();
        releases.add(state -> Cgroups.of(state.cgroupPaths()).ifPresent(CgroupManager::destroy));
        releases.addAll(more);
        StatusProbe probe = StatusProbe.system();
        return new ContainerDeleter(store, probe, state -> {
            // The whole cgroup first: a paused container's processes die only once thawed, and
            // without a pid namespace of its own the init's death leaves the others running.
            Cgroups.of(state.cgroupPaths()).filter(CgroupManager::exists).ifPresent(c -> c.signalAll(SIGKILL));
            killInit(state, probe, Duration.ofSeconds(10));
        }, releases);
    }

    /**
     * The deleter with every release step jrun has: the cgroup, the mounts of a container
     * without a mount namespace of its own, then the poststop hooks (their failures go to
     * {@code warn}).
     */
    public static ContainerDeleter standard(StateStore store, Consumer<String> warn) {
        return basic(store, List.of(state -> RuntimeNamespaceRootfs.release(store, state),
                LifecycleHooks.poststop(store, warn)));
    }

    public void delete(String id, boolean force) throws Exception {
        delete(id, null, force);
    }

    /**
     * Deletes a container whose state the caller has in hand ({@code run}, which created it):
     * the state file is not read again, on every run.
     */
    public void delete(ContainerState known) throws Exception {
        delete(known.id(), known, true);
    }

    private void delete(String id, ContainerState known, boolean force) throws Exception {
        ContainerId.validate(id);
        ContainerLock lock;
        try {
            lock = store.lock(id);
        } catch (ContainerNotFoundException e) {
            if (force) {
                store.removeLeftovers(id);
                return;
            }
            throw e;
        }
        try (lock) {
            ContainerState saved = known;
            if (saved == null) {
                try {
                    saved = store.load(id);
                } catch (JrunException e) {
                    // Missing or corrupt state: nothing to kill or release that jrun knows of.
                    if (force) {
                        store.remove(lock);
                        return;
                    }
                    throw e;
                }
            }
            ContainerStatus live = probe.status(saved, lock.containerDir());
            if (live != ContainerStatus.STOPPED) {
                Lifecycle.check(force ? Lifecycle.Verb.DELETE_FORCED : Lifecycle.Verb.DELETE, live, id);
                killer.killAndWait(saved);
            }
            for (Release r : releases) {
                r.release(saved);
            }
            store.remove(lock);
        }
    }

    /**
     * SIGKILLs the container's init process and polls until it is gone or a zombie.
     *
     * <p>By pid, through {@link ProcessHandle}: the probe checks the pid's start time just before,
     * so only a pid recycled in that window would be hit. The deleter has already SIGKILLed the
     * container's whole cgroup, which reaches the init in the usual case; this covers an init
     * that left its cgroup or a container without one.
     */
    public static void killInit(ContainerState state, StatusProbe probe, Duration timeout) {
        if (!probe.processAlive(state)) {
            return;
        }
        ProcessHandle.of(state.pid()).ifPresent(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (probe.processAlive(state)) {
            if (System.nanoTime() - deadline > 0) {
                throw new JrunException("container " + state.id() + ": process " + state.pid()
                        + " is still alive " + timeout.toMillis() + " ms after SIGKILL");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JrunException("interrupted while waiting for container " + state.id() + " to die", e);
            }
        }
    }
}
