package jrun.cli;

import java.util.List;
import jrun.base.ExitCodes;
import jrun.container.ContainerDeleter;
import jrun.state.ContainerId;
import jrun.state.StateStore;

/** {@code jrun delete [--force] <id>}: removes a container; see {@link ContainerDeleter} for the rules. */
public final class DeleteCommand implements Command {
    @Override public String name() { return "delete"; }
    @Override public String summary() { return "delete any resources held by the container"; }
    @Override public String argsUsage() { return "<container-id>"; }

    @Override
    public List<Flag> flags() {
        return List.of(Flag.bool("force", "forcibly deletes the container if it is still running (uses SIGKILL)", "f"));
    }

    @Override
    public int run(GlobalOptions global, Args args) throws Exception {
        String id = ContainerId.validate(args.requireId());
        args.atMost(1, argsUsage());
        ContainerDeleter.standard(new StateStore(global.root()), global.log()::warn).delete(id, args.bool("force"));
        return ExitCodes.OK;
    }
}
