package jrun.container;

import java.util.List;
import jrun.base.JrunException;
import jrun.linux.cgroups.CgroupManager;
import jrun.linux.cgroups.Cgroups;
import jrun.state.ContainerId;
import jrun.state.ContainerStatus;
import jrun.state.ContainerState;
import jrun.state.StateStore;

/**
 * {@code ps}: the container's processes, which are those of its cgroup (as runc counts them);
 * a rootless container without a cgroup of its own (runc fails there), those of its pid
 * namespace while it runs.
 */
public final class ContainerProcesses {
    private final StateStore store;

    public ContainerProcesses(StateStore store) {
        this.store = store;
    }

    public List<Integer> pids(String rawId) {
        String id = ContainerId.validate(rawId);
        ContainerState state = store.load(id);
        CgroupManager cgroup = Cgroups.of(state.cgroupPaths()).filter(CgroupManager::exists).orElse(null);
        if (cgroup != null) {
            return cgroup.pids();
        }
        if (!state.cgroupPaths().isEmpty()) {
            throw new JrunException("container " + id + " has no cgroup: it is not running");
        }
        ContainerStatus status = StatusProbe.system().status(state, store.containerDir(id));
        if (status != ContainerStatus.RUNNING && status != ContainerStatus.CREATED && status != ContainerStatus.PAUSED) {
            throw new JrunException("container " + id + " is not running");
        }
        return ContainerKiller.pidsOf(state);
    }
}
