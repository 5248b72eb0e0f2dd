package jrun.rootless;

import java.nio.file.Path;
import java.util.List;
import jrun.base.JrunException;
import jrun.spec.IdMapping;
import jrun.spec.Linux;
import jrun.spec.Mount;
import jrun.spec.Spec;
import jrun.sys.Identity;

/**
 * What a config must satisfy for jrun to run it as an ordinary user, checked before anything
 * exists (runc's validate/rootless.go, plus the ownership of the host ids that runc leaves to
 * newuidmap's refusal): a user namespace of its own, uid and gid mappings of ids the user owns,
 * and no mount option giving files an owner the namespace does not map.
 */
public final class RootlessConfig {
    private RootlessConfig() {}

    public static void check(Spec spec, Identity me, SubordinateIds uids, SubordinateIds gids) {
        Linux linux = spec.linux();
        Linux.Namespace user = null;
        for (Linux.Namespace ns : linux.namespaces()) {
            if (ns.type().equals("user")) {
                user = ns;
            }
        }
        if (user == null) {
            throw error("/linux/namespaces", "jrun runs as uid " + me.uid() + ", not root, so the container needs a user "
                    + "namespace of its own: add {\"type\": \"user\"} with uidMappings and gidMappings of your ids "
                    + "(jrun spec --rootless writes such a config)");
        }
        if (user.path() != null && !user.path().isEmpty()) {
            return; // a namespace joined has its maps already
        }
        checkMappings("/linux/uidMappings", "uid", linux.uidMappings(), uids, SubordinateIds.SUBUID, me.uid());
        checkMappings("/linux/gidMappings", "gid", linux.gidMappings(), gids, SubordinateIds.SUBGID, me.gid());
        checkMountOwners(spec.mounts(), linux);
    }

    private static void checkMappings(String pointer, String kind, List<IdMapping> mappings, SubordinateIds allowed,
                                      Path file, long own) {
        if (mappings.isEmpty()) {
            throw error(pointer, "a rootless container needs at least one " + kind + " mapping, e.g. {\"containerID\": 0, "
                    + "\"hostID\": " + own + ", \"size\": 1}");
        }
        for (int i = 0; i < mappings.size(); i++) {
            IdMapping m = mappings.get(i);
            if (!allowed.allows(m.hostID(), m.size())) {
                throw error(pointer + "/" + i, "host " + kind + "s " + m.hostID() + "-" + (m.hostID() + m.size() - 1)
                        + " are not this user's to map: it may map " + allowed.describe(file)
                        + " (each mapping inside one of these)");
            }
        }
    }

    /** runc's rule: uid= and gid= mount options must name ids the container's namespace maps. */
    private static void checkMountOwners(List<Mount> mounts, Linux linux) {
        for (int i = 0; i < mounts.size(); i++) {
            List<String> options = mounts.get(i).options();
            for (int j = 0; j < options.size(); j++) {
                String o = options.get(j);
                boolean uid = o.startsWith("uid=");
                if (!uid && !o.startsWith("gid=")) {
                    continue;
                }
                long id;
                try {
                    id = Long.parseLong(o.substring(4));
                } catch (NumberFormatException e) {
                    continue; // the mount itself reports a malformed value
                }
                List<IdMapping> maps = uid ? linux.uidMappings() : linux.gidMappings();
                if (!maps(maps, id)) {
                    String kind = uid ? "uid" : "gid";
                    throw error("/mounts/" + i + "/options/" + j, "\"" + o + "\": " + kind + " " + id + " is not mapped in "
                            + "the container's user namespace (/linux/" + kind + "Mappings), and a rootless container "
                            + "cannot give files an owner it does not map: remove the option or map " + kind + " " + id);
                }
            }
        }
    }

    private static boolean maps(List<IdMapping> mappings, long containerId) {
        for (IdMapping m : mappings) {
            if (containerId >= m.containerID() && containerId < m.containerID() + m.size()) {
                return true;
            }
        }
        return false;
    }

    private static JrunException error(String pointer, String message) {
        return new JrunException("config.json: " + pointer + ": " + message);
    }
}
