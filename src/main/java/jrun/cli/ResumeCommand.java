package jrun.cli;

import java.util.List;
import jrun.base.ExitCodes;

/** {@code jrun resume <id>}: thaws a container that {@code pause} froze. */
final class ResumeCommand implements Command {
    @Override public String name() { return "resume"; }
    @Override public String summary() { return "resumes all processes that have been previously paused"; }
    @Override public String argsUsage() { return "<container-id>"; }
    @Override public List<Flag> flags() { return List.of(); }

    @Override
    public int run(GlobalOptions global, Args args) {
        args.exactly(1, argsUsage());
        PauseCommand.freeze(global, args.requireId(), false);
        return ExitCodes.OK;
    }
}
