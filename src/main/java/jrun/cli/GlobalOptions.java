package jrun.cli;

import java.nio.file.Path;
import jrun.base.Log;

/** runc's global flags, which come before the command name. */
public record GlobalOptions(Path root, String logPath, String logFormat, boolean debug,
                            boolean systemdCgroup, String rootless, Log log) {
    public static final String DEFAULT_ROOT = "/run/jrun";
}
