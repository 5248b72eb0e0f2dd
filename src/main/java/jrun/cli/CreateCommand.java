package jrun.cli;

import java.nio.file.Path;
import java.util.List;
import jrun.base.CliException;
import jrun.base.Environment;
import jrun.base.ExitCodes;
import jrun.container.ContainerCreator;
import jrun.state.StateStore;

/** {@code jrun create}: set up a container and leave it waiting for {@code start}. */
final class CreateCommand implements Command {
    static final List<Flag> FLAGS = List.of(
            Flag.value("bundle", ".", "path to the root of the bundle directory", "b"),
            Flag.value("console-socket", null, "path to an AF_UNIX socket which will receive the pseudoterminal master"),
            Flag.value("pid-file", null, "specify the file to write the process id to"),
            Flag.bool("no-pivot", "do not use pivot root to jail process inside rootfs"),
            Flag.bool("no-new-keyring", "do not create a new session keyring for the container"),
            Flag.value("preserve-fds", "0", "pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total)"));

    @Override public String name() { return "create"; }
    @Override public String summary() { return "create a container"; }
    @Override public String argsUsage() { return "<container-id>"; }
    @Override public List<Flag> flags() { return FLAGS; }

    @Override
    public int run(GlobalOptions global, Args args) {
        args.exactly(1, argsUsage());
        try (ContainerCreator.Created created = new ContainerCreator(new StateStore(global.root()), global.log()::warn,
                global.rootlessMode())
                .create(request(args, true))) {
            global.log().debug("created container " + created.state().id() + " with init pid " + created.state().pid());
        }
        return ExitCodes.OK;
    }

    static ContainerCreator.Request request(Args args, boolean detached) {
        int preserve = preserveFds(args);
        return new ContainerCreator.Request(args.requireId(), Path.of(args.value("bundle")), args.value("pid-file"),
                args.bool("no-pivot"), args.bool("no-new-keyring"), preserve, args.value("console-socket"), detached);
    }

    /** --preserve-fds plus systemd's LISTEN_FDS, as runc counts them. */
    static int preserveFds(Args args) {
        int preserve = args.intValue("preserve-fds", 0);
        if (preserve < 0) {
            throw new CliException("--preserve-fds must not be negative, got " + preserve);
        }
        String listenFds = Environment.get("LISTEN_FDS");
        if (listenFds != null && !listenFds.isEmpty()) {
            try {
                preserve += Integer.parseInt(listenFds);
            } catch (NumberFormatException e) {
                throw new CliException("LISTEN_FDS is not a number: " + listenFds);
            }
        }
        return preserve;
    }
}
