package jrun.linux;

import java.util.List;

/**
 * What jrun refuses in a mount's options, before any system call: an option that is neither
 * one of jrun's (runc's) nor a parameter of the mount's filesystem, filesystem data on a bind
 * mount (runc refuses it too: the kernel would ignore it), and runc's extensions where they
 * mean nothing (tmpcopyup off a tmpfs, an idmapped mount that is no bind mount, remount with
 * bind, idmap or tmpcopyup). Shared by the planner (create, run) and the semantic checks
 * ({@code jrun check}), so both say the same.
 */
public final class MountOptionRules {
    /** A refused field: its JSON pointer and why. */
    public record Problem(String pointer, String message) {}

    private MountOptionRules() {}

    /**
     * The first problem of a mount's options, or null.
     *
     * @param pointer the mount's pointer, {@code /mounts/N}
     * @param hasIdMappings whether the mount has uidMappings or gidMappings
     */
    public static Problem check(String pointer, String type, List<String> options, boolean hasIdMappings) {
        MountOptions o = MountOptions.parse(options);
        String fsType = type == null ? "" : type;
        boolean bind = o.bind() || fsType.equals("bind");
        if (o.copyUp() && (bind || !fsType.equals("tmpfs"))) {
            return new Problem(pointer + "/options/" + options.indexOf("tmpcopyup"), "tmpcopyup applies to a new tmpfs "
                    + "only, not to " + (bind ? "a bind mount" : "a " + fsType + " mount"));
        }
        boolean idmapped = o.idmap() || hasIdMappings;
        if (idmapped && !bind) {
            String field = o.idmap() ? "/options/" + indexOf(options, "idmap", "ridmap") : "/uidMappings";
            return new Problem(pointer + field, "idmapped mounts are bind mounts only (add \"bind\" or \"rbind\")");
        }
        if (o.remount() && (idmapped || o.copyUp() || o.bind())) {
            return new Problem(pointer + "/options/" + options.indexOf("remount"), "remount changes the mount at the "
                    + "destination: it cannot be combined with bind, idmap or tmpcopyup");
        }
        if (o.remount() || bind) {
            return o.data().isEmpty() ? null : new Problem(pointer + "/options/" + o.dataPositions().get(0), "\""
                    + o.data().get(0) + "\" is not a mount option jrun knows ("
                    + (bind ? "a bind mount takes no filesystem options"
                            : "remount changes the attributes of the mount at the destination only") + ")");
        }
        for (int k = 0; k < o.data().size(); k++) {
            String option = o.data().get(k);
            if (!FilesystemParameters.accepts(fsType, option)) {
                List<String> known = FilesystemParameters.of(fsType);
                return new Problem(pointer + "/options/" + o.dataPositions().get(k), "\"" + option
                        + "\" is not a mount option jrun knows nor a parameter of " + fsType
                        + (known.isEmpty() ? " (it takes none)" : " (" + String.join(", ", known) + ")"));
            }
        }
        return null;
    }

    private static int indexOf(List<String> options, String a, String b) {
        int i = options.indexOf(a);
        return i >= 0 ? i : options.indexOf(b);
    }
}
