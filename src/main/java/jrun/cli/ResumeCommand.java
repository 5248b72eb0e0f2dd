package jrun.cli;

import java.util.List;
import jrun.base.ExitCodes;
import jrun.container.ContainerResumer;
import jrun.state.StateStore;

/** {@code jrun resume <id>}: thaws a container that {@code pause} froze. */
final class ResumeCommand implements Command {
    @Override public String name() { return "resume"; }
    @Override public String summary() { return "resumes all processes that have been previously paused"; }
    @Override public String argsUsage() { return "<container-id>"; }
    @Override public List<Flag> flags() { return List.of(); }

    @Override
    public int run(GlobalOptions global, Args args) {
        args.exactly(1, argsUsage());
        new ContainerResumer(new StateStore(global.root())).resume(args.requireId());
        return ExitCodes.OK;
    }
}
