package jrun.rootless;

import java.nio.file.Path;
import jrun.base.Environment;
import jrun.sys.Identity;

/**
 * Where state goes without {@code --root}, runc's rule: {@code $XDG_RUNTIME_DIR/jrun} for a user
 * other than root (and for root inside a user namespace when {@code $USER} is not root), else
 * {@code /run/jrun}, which an ordinary user cannot write: like runc, jrun then fails naming it.
 */
public final class DefaultRoot {
    public static final String SYSTEM_ROOT = "/run/jrun";

    private DefaultRoot() {}

    public static Path current() {
        Identity me = Identity.current();
        String xdg = Environment.get("XDG_RUNTIME_DIR");
        return Path.of(choose(xdg, !me.isRoot(), xdg != null && me.isRoot() && Identity.inUserNamespace(),
                me.isRoot() ? Environment.get("USER") : null));
    }

    static String choose(String xdgRuntimeDir, boolean notRoot, boolean rootInUserNamespace, String user) {
        if (xdgRuntimeDir == null || xdgRuntimeDir.isEmpty()) {
            return SYSTEM_ROOT;
        }
        boolean honour = notRoot || (rootInUserNamespace && (user == null || !user.equals("root")));
        return honour ? xdgRuntimeDir + "/jrun" : SYSTEM_ROOT;
    }
}
