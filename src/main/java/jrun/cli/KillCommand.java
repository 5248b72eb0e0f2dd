package jrun.cli;

import java.util.List;
import jrun.base.CliException;
import jrun.base.ExitCodes;
import jrun.container.ContainerKiller;
import jrun.linux.Signals;
import jrun.state.ContainerId;
import jrun.state.StateStore;

/** {@code jrun kill <id> [signal]}: signal the container's init (or all its processes). */
final class KillCommand implements Command {
    @Override public String name() { return "kill"; }
    @Override public String summary() { return "kill sends the specified signal (default: SIGTERM) to the container's init process"; }
    @Override public String argsUsage() { return "<container-id> [signal]"; }

    @Override
    public List<Flag> flags() {
        return List.of(Flag.bool("all", "send the specified signal to all processes inside the container", "a"));
    }

    @Override
    public int run(GlobalOptions global, Args args) {
        args.atMost(2, argsUsage());
        String id = ContainerId.validate(args.requireId());
        String spec = args.positional().size() > 1 ? args.positional().get(1) : "SIGTERM";
        int signal = Signals.parse(spec);
        if (signal < 0) {
            throw new CliException("unknown signal \"" + spec + "\"", ExitCodes.FAILURE);
        }
        new ContainerKiller(new StateStore(global.root())).kill(id, signal, args.bool("all"));
        return ExitCodes.OK;
    }
}
