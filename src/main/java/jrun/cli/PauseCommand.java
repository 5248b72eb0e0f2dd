package jrun.cli;

import java.util.List;
import jrun.base.ExitCodes;
import jrun.base.JrunException;
import jrun.linux.cgroups.CgroupManager;
import jrun.linux.cgroups.Cgroups;
import jrun.state.ContainerId;
import jrun.state.ContainerLock;
import jrun.state.ContainerState;
import jrun.state.ContainerStatus;
import jrun.state.StateStore;
import jrun.state.StatusProbe;

/**
 * {@code jrun pause <id>}: freezes every process of the container through its cgroup
 * (cgroup.freeze on v2, the freezer on v1); {@code state} then says {@code paused}.
 */
final class PauseCommand implements Command {
    @Override public String name() { return "pause"; }
    @Override public String summary() { return "pause suspends all processes inside the container"; }
    @Override public String argsUsage() { return "<container-id>"; }
    @Override public List<Flag> flags() { return List.of(); }

    @Override
    public int run(GlobalOptions global, Args args) {
        args.exactly(1, argsUsage());
        freeze(global, args.requireId(), true);
        return ExitCodes.OK;
    }

    /** Pauses ({@code freeze}) or resumes a container, with runc's rules on which it may. */
    static void freeze(GlobalOptions global, String rawId, boolean freeze) {
        String id = ContainerId.validate(rawId);
        StateStore store = new StateStore(global.root());
        try (ContainerLock lock = store.lock(id)) {
            ContainerState state = store.load(id);
            ContainerStatus status = StatusProbe.system().status(state, lock.containerDir());
            if (freeze && status != ContainerStatus.RUNNING && status != ContainerStatus.CREATED) {
                throw new JrunException("container not running");
            }
            if (!freeze && status != ContainerStatus.PAUSED) {
                throw new JrunException("container not paused");
            }
            CgroupManager cgroup = Cgroups.of(state.cgroupPaths()).orElseThrow(() -> new JrunException(
                    "container " + id + " has no cgroup of jrun's to " + (freeze ? "freeze" : "thaw")));
            if (freeze) {
                cgroup.freeze();
            } else {
                cgroup.thaw();
            }
            store.save(state.withStatus(freeze ? ContainerStatus.PAUSED : ContainerStatus.RUNNING));
        }
    }
}
