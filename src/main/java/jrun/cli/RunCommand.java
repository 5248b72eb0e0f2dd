package jrun.cli;

import java.util.ArrayList;
import java.util.List;
import jrun.container.ContainerDeleter;
import jrun.container.ContainerRunner;
import jrun.state.StateStore;

/** {@code jrun run}: create and start a container, and by default wait for it and delete it. */
final class RunCommand implements Command {
    private static final List<Flag> FLAGS;

    static {
        List<Flag> f = new ArrayList<>(CreateCommand.FLAGS);
        f.add(Flag.bool("detach", "detach from the container's process", "d"));
        f.add(Flag.bool("keep", "do not delete the container after it exits"));
        f.add(Flag.bool("no-subreaper", "disable the use of the subreaper used to reap reparented processes"));
        FLAGS = List.copyOf(f);
    }

    @Override public String name() { return "run"; }
    @Override public String summary() { return "create and run a container"; }
    @Override public String argsUsage() { return "<container-id>"; }
    @Override public List<Flag> flags() { return FLAGS; }

    @Override
    public int run(GlobalOptions global, Args args) throws Exception {
        args.exactly(1, argsUsage());
        StateStore store = new StateStore(global.root());
        boolean detach = args.bool("detach");
        ContainerDeleter deleter = ContainerDeleter.standard(store, global.log()::warn);
        return new ContainerRunner(store, global.log()::warn, deleter, global.rootlessMode())
                .run(CreateCommand.request(args, detach), detach, !args.bool("keep"));
    }
}
