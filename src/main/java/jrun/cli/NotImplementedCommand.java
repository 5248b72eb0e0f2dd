package jrun.cli;

import java.util.List;
import jrun.base.CliException;
import jrun.base.ExitCodes;

/** A runc command that this build of jrun does not provide yet: a clear error and exit code 3. */
final class NotImplementedCommand implements Command {
    private final String name;
    private final String summary;

    NotImplementedCommand(String name, String summary) {
        this.name = name;
        this.summary = summary;
    }

    @Override public String name() { return name; }
    @Override public String summary() { return summary + " (not implemented)"; }
    @Override public String argsUsage() { return "<container-id>"; }
    @Override public List<Flag> flags() { return List.of(); }

    @Override
    public int run(GlobalOptions global, Args args) {
        throw new CliException("jrun " + name + " is not implemented in this build of jrun", ExitCodes.NOT_IMPLEMENTED);
    }
}
