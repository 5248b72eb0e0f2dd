package jrun.cli;

import java.util.List;
import jrun.base.ExitCodes;
import jrun.container.ContainerPauser;
import jrun.state.StateStore;

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
        new ContainerPauser(new StateStore(global.root())).pause(args.requireId());
        return ExitCodes.OK;
    }
}
