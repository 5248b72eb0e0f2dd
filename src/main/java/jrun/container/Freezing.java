package jrun.container;

import jrun.base.JrunException;
import jrun.linux.cgroups.CgroupManager;
import jrun.linux.cgroups.Cgroups;
import jrun.state.ContainerId;
import jrun.state.ContainerLock;
import jrun.state.ContainerState;
import jrun.state.ContainerStatus;
import jrun.state.StateStore;

/** What pause and resume share: under the lock, the lifecycle's check, the freezer, the saved status. */
final class Freezing {
    private Freezing() {}

    static void apply(StateStore store, String rawId, boolean freeze) {
        String id = ContainerId.validate(rawId);
        try (ContainerLock lock = store.lock(id)) {
            ContainerState state = store.load(id);
            ContainerStatus status = StatusProbe.system().status(state, lock.containerDir());
            Lifecycle.check(freeze ? Lifecycle.Verb.PAUSE : Lifecycle.Verb.RESUME, status, id);
            CgroupManager cgroup = Cgroups.of(state.cgroupPaths()).orElseThrow(() -> new JrunException(
                    "container " + id + " has no cgroup of jrun's to " + (freeze ? "freeze" : "thaw")
                            + (state.rootless() ? " (a rootless container gets one only in a cgroup v2 subtree "
                            + "delegated to its user: pause needs its cgroup.freeze)" : "")));
            if (freeze) {
                cgroup.freeze();
            } else {
                cgroup.thaw();
            }
            store.save(state.withStatus(freeze ? ContainerStatus.PAUSED : ContainerStatus.RUNNING));
        }
    }
}
