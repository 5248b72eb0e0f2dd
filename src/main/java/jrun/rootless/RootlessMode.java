package jrun.rootless;

import jrun.base.CliException;
import jrun.base.ExitCodes;
import jrun.sys.Identity;

/**
 * runc's two rootless switches.
 *
 * @param euid jrun runs as a user other than root: the container needs a user namespace, its
 *             id maps may need newuidmap/newgidmap, and only what the user owns may be touched
 * @param cgroups the cgroup manager is rootless ({@code --rootless}, runc's rule): a cgroup the
 *                user may not create is done without, unless the config asks for limits
 */
public record RootlessMode(boolean euid, boolean cgroups) {
    public static final RootlessMode ROOT = new RootlessMode(false, false);

    /** What the state file's {@code rootless} says, as runc's: both at once. */
    public boolean stateRootless() {
        return euid && cgroups;
    }

    /**
     * runc's {@code --rootless true|false|auto}: auto is rootless when not root, and when root
     * inside a user namespace (whose cgroups jrun cannot know to be its own).
     */
    public static RootlessMode of(String flag, Identity me) {
        Boolean forced = parse(flag);
        boolean cgroups;
        if (forced != null) {
            cgroups = forced;
        } else {
            cgroups = !me.isRoot() || Identity.inUserNamespace();
        }
        return new RootlessMode(!me.isRoot(), cgroups);
    }

    /** true, false, or null for auto (Go's ParseBool spellings, as runc takes them). */
    static Boolean parse(String flag) {
        String v = flag == null ? "auto" : flag;
        return switch (v) {
            case "", "auto" -> null;
            case "1", "t", "T", "true", "TRUE", "True" -> Boolean.TRUE;
            case "0", "f", "F", "false", "FALSE", "False" -> Boolean.FALSE;
            default -> throw new CliException("invalid value \"" + v + "\" for --rootless: expected true, false or auto",
                    ExitCodes.FAILURE);
        };
    }
}
