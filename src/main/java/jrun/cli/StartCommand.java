package jrun.cli;

import java.util.List;
import jrun.base.ExitCodes;
import jrun.container.ContainerStarter;
import jrun.container.StatusProbe;
import jrun.state.ContainerId;
import jrun.state.StateStore;

/** {@code jrun start}: let a created container's process run. */
final class StartCommand implements Command {
    @Override public String name() { return "start"; }
    @Override public String summary() { return "executes the user defined process in a created container"; }
    @Override public String argsUsage() { return "<container-id>"; }
    @Override public List<Flag> flags() { return List.of(); }

    @Override
    public int run(GlobalOptions global, Args args) {
        args.exactly(1, argsUsage());
        String id = ContainerId.validate(args.requireId());
        new ContainerStarter(new StateStore(global.root()), StatusProbe.system()).start(id);
        return ExitCodes.OK;
    }
}
