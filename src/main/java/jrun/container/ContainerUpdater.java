package jrun.container;

import jrun.base.JrunException;
import jrun.linux.cgroups.CgroupFacts;
import jrun.linux.cgroups.CgroupHost;
import jrun.linux.cgroups.CgroupManager;
import jrun.linux.cgroups.Cgroups;
import jrun.linux.cgroups.ResourceCheck;
import jrun.spec.Resources;
import jrun.state.ContainerId;
import jrun.state.ContainerLock;
import jrun.state.ContainerState;
import jrun.state.StateStore;

/** {@code update}: new resource limits written into the cgroup of a container that has not stopped. */
public final class ContainerUpdater {
    private final StateStore store;

    public ContainerUpdater(StateStore store) {
        this.store = store;
    }

    /** @param where the prefix of errors, naming where the resources came from */
    public void update(String rawId, Resources resources, String where) {
        String id = ContainerId.validate(rawId);
        try (ContainerLock lock = store.lock(id)) {
            ContainerState state = store.load(id);
            Lifecycle.check(Lifecycle.Verb.UPDATE, StatusProbe.system().status(state, lock.containerDir()), id);
            CgroupManager cgroup = Cgroups.of(state.cgroupPaths()).filter(CgroupManager::exists)
                    .orElseThrow(() -> new JrunException("container " + id + " has no cgroup of jrun's to update"));
            ResourceCheck.check(resources, CgroupFacts.of(CgroupHost.detect()), where);
            cgroup.update(resources, where);
        }
    }
}
