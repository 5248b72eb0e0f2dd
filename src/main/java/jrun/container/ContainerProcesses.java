package jrun.container;

import java.util.List;
import jrun.base.JrunException;
import jrun.linux.cgroups.CgroupManager;
import jrun.linux.cgroups.Cgroups;
import jrun.state.ContainerId;
import jrun.state.ContainerState;
import jrun.state.StateStore;

/** {@code ps}: the container's processes, which are those of its cgroup (as runc counts them). */
public final class ContainerProcesses {
    private final StateStore store;

    public ContainerProcesses(StateStore store) {
        this.store = store;
    }

    public List<Integer> pids(String rawId) {
        String id = ContainerId.validate(rawId);
        ContainerState state = store.load(id);
        CgroupManager cgroup = Cgroups.of(state.cgroupPaths()).filter(CgroupManager::exists).orElse(null);
        if (cgroup == null) {
            throw new JrunException("container " + id + " has no cgroup: it is not running");
        }
        return cgroup.pids();
    }
}
