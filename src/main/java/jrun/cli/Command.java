package jrun.cli;

import java.util.List;
import jrun.base.CliException;
import jrun.base.JrunException;

/**
 * One jrun subcommand. Flag names, aliases and meanings follow runc's so that podman, conmon and
 * containerd's shim can call jrun exactly as they call runc.
 */
public interface Command {
    String name();

    /** One line for `jrun --help`. */
    String summary();

    /** Positional arguments as shown in `jrun NAME --help`, e.g. {@code "<container-id>"}. */
    String argsUsage();

    /** The flags this command accepts; {@link Args} refuses any other. */
    List<Flag> flags();

    /** Runs the command and returns the process exit code. Errors are thrown as {@link CliException}
     *  or {@link JrunException} subclasses and reported by {@link Main}. */
    int run(GlobalOptions global, Args args) throws Exception;
}
