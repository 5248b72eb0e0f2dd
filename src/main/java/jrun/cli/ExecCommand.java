package jrun.cli;

import java.nio.file.Path;
import java.util.List;
import jrun.base.CliException;
import jrun.base.ExitCodes;
import jrun.base.JrunException;
import jrun.container.ContainerExecutor;
import jrun.container.SavedConfig;
import jrun.spec.ProcessSpec;
import jrun.spec.Spec;
import jrun.spec.SpecReader;
import jrun.state.StateStore;
import jrun.validation.JsonTrees;

/** {@code jrun exec}: run a new process inside a running container, with runc's flags. */
final class ExecCommand implements Command {
    private static final long MAX_PROCESS_BYTES = 1L << 20;
    private static final List<Flag> FLAGS = List.of(
            Flag.value("console-socket", null, "path to an AF_UNIX socket which will receive the pseudoterminal master"),
            Flag.value("cwd", null, "current working directory in the container"),
            Flag.multi("env", "set environment variables", "e"),
            Flag.bool("tty", "allocate a pseudo-TTY", "t"),
            Flag.value("user", null, "UID (format: <uid>[:<gid>])", "u"),
            Flag.multi("additional-gids", "additional gids", "g"),
            Flag.value("process", null, "path to the process.json", "p"),
            Flag.bool("detach", "detach from the container's process", "d"),
            Flag.value("pid-file", null, "specify the file to write the process id to"),
            Flag.value("process-label", null, "set the asm process label for the process commonly used with selinux"),
            Flag.value("apparmor", null, "set the apparmor profile for the process"),
            Flag.bool("no-new-privs", "set the no new privileges value for the process"),
            Flag.multi("cap", "add a capability to the bounding set for the process", "c"),
            Flag.value("preserve-fds", "0", "pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total)"),
            Flag.multi("cgroup", "run the process in an (existing) sub-cgroup(s)"),
            Flag.bool("ignore-paused", "allow exec in a paused container"));

    @Override public String name() { return "exec"; }
    @Override public String summary() { return "execute new process inside the container"; }
    @Override public String argsUsage() { return "<container-id> <command> [command options]  || -p process.json <container-id>"; }
    @Override public List<Flag> flags() { return FLAGS; }

    @Override
    public int run(GlobalOptions global, Args args) throws Exception {
        List<String> positional = args.positional();
        if (positional.isEmpty()) {
            throw new CliException("exec: " + argsUsage());
        }
        if (!args.all("cgroup").isEmpty()) {
            throw new CliException("exec: --cgroup: sub-cgroups are not supported by jrun", ExitCodes.NOT_IMPLEMENTED);
        }
        String id = args.requireId();
        StateStore store = new StateStore(global.root());
        Spec spec = SavedConfig.load(store.containerDir(id), Path.of(store.load(id).bundle()));
        ProcessSpec process;
        String origin;
        String processFile = args.value("process");
        if (processFile != null) {
            if (positional.size() > 1) {
                throw new CliException("exec: with --process, the command comes from the file, not the command line");
            }
            byte[] json = JsonTrees.readBounded(Path.of(processFile), processFile, MAX_PROCESS_BYTES);
            process = SpecReader.readProcess(JsonTrees.parse(json, processFile), processFile);
            origin = processFile;
        } else {
            if (spec.process() == null) {
                throw new JrunException("the container's config has no /process to start from");
            }
            process = ExecProcessBuilder.build(spec.process(), new ExecProcessBuilder.Overrides(
                    positional.subList(1, positional.size()), args.all("env"), args.value("cwd"), args.value("user"),
                    args.all("additional-gids"), args.all("cap"), args.bool("tty"), args.bool("no-new-privs"),
                    args.value("apparmor"), args.value("process-label")));
            origin = "exec's process";
        }
        ContainerExecutor.Request request = new ContainerExecutor.Request(id, process, origin, spec.linux(),
                args.value("console-socket"),
                args.bool("detach"), args.value("pid-file"), CreateCommand.preserveFds(args),
                args.bool("ignore-paused"));
        return new ContainerExecutor(store).exec(request);
    }
}
