package jrun.cli;

import java.util.List;
import jrun.base.ExitCodes;
import jrun.container.ContainerInspector;
import jrun.state.ContainerId;
import jrun.state.StateJson;
import jrun.state.StateStore;

/** {@code jrun state <id>}: the container's state as runc prints it, with its live status. */
public final class StateCommand implements Command {
    @Override public String name() { return "state"; }
    @Override public String summary() { return "output the state of a container"; }
    @Override public String argsUsage() { return "<container-id>"; }
    @Override public List<Flag> flags() { return List.of(); }

    @Override
    public int run(GlobalOptions global, Args args) {
        String id = ContainerId.validate(args.requireId());
        args.atMost(1, argsUsage());
        System.out.println(StateJson.toPrettyJson(new ContainerInspector(new StateStore(global.root())).state(id)));
        return ExitCodes.OK;
    }
}
