package jrun.cli;

import java.nio.file.Path;
import jrun.base.Log;
import jrun.rootless.DefaultRoot;
import jrun.rootless.RootlessMode;
import jrun.sys.Identity;

/** runc's global flags, which come before the command name. */
public record GlobalOptions(Path root, String logPath, String logFormat, boolean debug,
                            boolean systemdCgroup, String rootless, Log log) {
    public static final String DEFAULT_ROOT = DefaultRoot.SYSTEM_ROOT;

    /** runc's rootless switches, from {@code --rootless} and who jrun runs as. */
    public RootlessMode rootlessMode() {
        return RootlessMode.of(rootless, Identity.current());
    }
}
