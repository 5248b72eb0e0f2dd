package jrun.cli;

import static jrun.base.Version.SPEC_VERSION;
import static jrun.base.Version.VERSION;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jrun.base.CliException;
import jrun.base.ExitCodes;
import jrun.base.JrunException;
import jrun.base.Log;
import jrun.base.Timing;
import jrun.process.CallerFds;
import jrun.process.ChildLauncher;
import jrun.rootless.DefaultRoot;
import jrun.sys.ProcessExit;

/**
 * Entry point: runc's global flags, then a command. Every error ends here: it is logged (to the
 * {@code --log} file in the chosen format, as containerd expects) and printed to stderr, and the
 * process exits non-zero.
 */
public final class Main {
    static final List<Flag> GLOBAL_FLAGS = List.of(
            Flag.value("root", GlobalOptions.DEFAULT_ROOT, "root directory for storage of container state (this should be located "
                    + "in tmpfs; default $XDG_RUNTIME_DIR/jrun for a user other than root)"),
            Flag.value("log", null, "set the log file to write jrun logs to (default is '/dev/stderr')"),
            Flag.value("log-format", "text", "set the log format ('text' (default), or 'json')"),
            Flag.bool("debug", "enable debug logging"),
            Flag.bool("systemd-cgroup", "enable systemd cgroup support (not supported by this build)"),
            Flag.value("rootless", "auto", "ignore cgroup permission errors ('true', 'false', or 'auto')"),
            Flag.value("criu", "criu", "path to the criu binary (checkpoint/restore is not supported)"),
            Flag.bool("help", "show help", "h"),
            Flag.bool("version", "print the version", "v"));

    private Main() {}

    public static void main(String[] argv) {
        int status = run(argv);
        System.out.flush();
        System.err.flush();
        // Not System.exit: Runtime.exit first looks up a System.Logger to log the exit (JDK 17+),
        // which initialises java.util.logging and scans every jar of the class path for a
        // LoggerFinder, on every jrun command. jrun registers no shutdown hook, so after flushing, halting (or
        // exit_group, see ProcessExit) is the same exit without that cost.
        ProcessExit.exit(status);
    }

    /**
     * Whether the command forks a child: the command word is the first argument after the global
     * flags (and their values), so {@code jrun delete run} and {@code jrun --root run list} do not.
     */
    static boolean forks(Args global) {
        List<String> rest = global.positional();
        if (rest.isEmpty()) {
            return false;
        }
        String command = rest.get(0);
        return command.equals("create") || command.equals("run") || command.equals("exec");
    }

    public static int run(String[] argv) {
        Timing.mark("main");
        Log log = Log.stderr();
        try {
            Args global = Args.parse("jrun", GLOBAL_FLAGS, Arrays.asList(argv));
            if (forks(global)) {
                // Linking the FFM downcalls and warming the fork path (all of it interpreted:
                // README, "Where the time goes") depends on nothing else, so it starts on the
                // other core before the command's own flags are parsed, while this thread reads
                // the bundle.
                CallerFds.recordUnlessListed();
                ChildLauncher.warmUpInBackground();
            }
            if (global.bool("version")) {
                System.out.println("jrun version " + VERSION);
                System.out.println("spec: " + SPEC_VERSION);
                System.out.println("java: " + System.getProperty("java.version"));
                return ExitCodes.OK;
            }
            List<String> rest = global.positional();
            if (global.bool("help") || rest.isEmpty() || rest.get(0).equals("help")) {
                if (rest.size() > 1) {
                    return run(new String[] {rest.get(1), "--help"});
                }
                System.out.print(Help.global(Commands.all(), GLOBAL_FLAGS));
                return rest.isEmpty() && !global.bool("help") ? ExitCodes.USAGE : ExitCodes.OK;
            }
            log = Log.open(global.value("log"), global.value("log-format"), global.bool("debug"));
            // Only without --root: working out the default reads /proc (and the environment).
            Path root = global.isSet("root") ? Path.of(global.value("root")) : DefaultRoot.current();
            GlobalOptions options = new GlobalOptions(root, global.value("log"),
                    global.value("log-format"), global.bool("debug"), global.bool("systemd-cgroup"),
                    global.value("rootless"), log);
            String name = rest.get(0);
            Command command = Commands.byName(name);
            if (command == null) {
                throw new CliException("No help topic for '" + name + "' (\"jrun --help\" lists the commands)");
            }
            List<Flag> flags = new ArrayList<>(command.flags());
            flags.add(Flag.bool("help", "show help", "h"));
            Args args;
            try {
                args = Args.parse(name, flags, rest.subList(1, rest.size()));
            } catch (CliException e) {
                if (command instanceof NotImplementedCommand) {
                    // Engines pass the real command's flags (containerd: exec --process ...):
                    // the error worth showing them is that the command is missing, not a flag.
                    return command.run(options, null);
                }
                throw e;
            }
            if (args.bool("help")) {
                System.out.print(Help.command(command));
                return ExitCodes.OK;
            }
            if (options.systemdCgroup()) {
                throw new CliException("--systemd-cgroup is not supported by jrun: there is no systemd on which to "
                        + "create scopes; use the cgroupfs manager (podman --cgroup-manager cgroupfs)", ExitCodes.FAILURE);
            }
            return command.run(options, args);
        } catch (CliException e) {
            report(log, e.getMessage());
            return e.exitCode();
        } catch (JrunException e) {
            report(log, e.getMessage());
            if (log.debugEnabled() && e.getCause() != null) {
                e.getCause().printStackTrace();
            }
            return ExitCodes.FAILURE;
        } catch (Exception | Error e) {
            report(log, "internal error: " + e);
            e.printStackTrace();
            return ExitCodes.FAILURE;
        }
    }

    private static void report(Log log, String message) {
        log.error(message);
        if (log.toFile()) {
            System.err.println("jrun: " + message);
        }
    }
}
