package jrun.cli;

import java.util.List;
import jrun.base.ExitCodes;
import jrun.state.ContainerId;
import jrun.state.ContainerState;
import jrun.state.OciState;
import jrun.state.StateJson;
import jrun.state.StateStore;
import jrun.state.StatusProbe;

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
        StateStore store = new StateStore(global.root());
        ContainerState saved = store.load(id);
        var live = StatusProbe.system().status(saved, store.containerDir(id));
        // runc leaves "owner" empty here (only `list` fills it in); so does jrun.
        System.out.println(StateJson.toPrettyJson(OciState.of(saved, live, "")));
        return ExitCodes.OK;
    }
}
