package jrun.linux;

import java.util.ArrayList;
import java.util.List;

/**
 * A mount entry's {@code options} sorted into what the kernel wants separately: mount
 * attributes (ro, nosuid, atime...), bind or rbind, propagation, and the filesystem's own
 * data ({@code mode=755}, {@code newinstance}), as runc sorts them.
 *
 * @param attrSet   MOUNT_ATTR_* bits to set
 * @param attrClear MOUNT_ATTR_* bits to clear (an explicit {@code rw}, {@code suid}, ...)
 * @param propagation one of {@link MountAttr}'s MS_* propagation types, or 0
 * @param recursivePropagation whether the propagation applies to the whole subtree (rshared...)
 * @param data the filesystem options, {@code key} or {@code key=value}, in order
 */
public record MountOptions(long attrSet, long attrClear, boolean bind, boolean recursiveBind, long propagation,
                           boolean recursivePropagation, List<String> data) {

    public static MountOptions parse(List<String> options) {
        long set = 0;
        long clear = 0;
        boolean bind = false;
        boolean rbind = false;
        long propagation = 0;
        boolean recursivePropagation = false;
        List<String> data = new ArrayList<>();
        for (String o : options) {
            switch (o) {
                case "ro" -> { set |= MountAttr.RDONLY; clear &= ~MountAttr.RDONLY; }
                case "rw" -> { clear |= MountAttr.RDONLY; set &= ~MountAttr.RDONLY; }
                case "nosuid" -> { set |= MountAttr.NOSUID; clear &= ~MountAttr.NOSUID; }
                case "suid" -> { clear |= MountAttr.NOSUID; set &= ~MountAttr.NOSUID; }
                case "nodev" -> { set |= MountAttr.NODEV; clear &= ~MountAttr.NODEV; }
                case "dev" -> { clear |= MountAttr.NODEV; set &= ~MountAttr.NODEV; }
                case "noexec" -> { set |= MountAttr.NOEXEC; clear &= ~MountAttr.NOEXEC; }
                case "exec" -> { clear |= MountAttr.NOEXEC; set &= ~MountAttr.NOEXEC; }
                case "nodiratime" -> { set |= MountAttr.NODIRATIME; clear &= ~MountAttr.NODIRATIME; }
                case "diratime" -> { clear |= MountAttr.NODIRATIME; set &= ~MountAttr.NODIRATIME; }
                case "nosymfollow" -> { set |= MountAttr.NOSYMFOLLOW; clear &= ~MountAttr.NOSYMFOLLOW; }
                case "symfollow" -> { clear |= MountAttr.NOSYMFOLLOW; set &= ~MountAttr.NOSYMFOLLOW; }
                case "relatime" -> { set = atime(set, MountAttr.RELATIME); clear |= MountAttr.ATIME_MASK; }
                case "noatime" -> { set = atime(set, MountAttr.NOATIME); clear |= MountAttr.ATIME_MASK; }
                case "strictatime" -> { set = atime(set, MountAttr.STRICTATIME); clear |= MountAttr.ATIME_MASK; }
                case "atime", "norelatime", "nostrictatime", "defaults", "async", "loud", "nomand", "noiversion",
                     "nolazytime" -> { /* the kernel's default, or no longer meaningful */ }
                case "bind" -> bind = true;
                case "rbind" -> { bind = true; rbind = true; }
                case "private", "shared", "slave", "unbindable" -> {
                    propagation = propagationOf(o);
                    recursivePropagation = false;
                }
                case "rprivate", "rshared", "rslave", "runbindable" -> {
                    propagation = propagationOf(o.substring(1));
                    recursivePropagation = true;
                }
                default -> data.add(o);
            }
        }
        return new MountOptions(set, clear, bind, rbind, propagation, recursivePropagation, List.copyOf(data));
    }

    private static long atime(long set, long mode) {
        return (set & ~MountAttr.ATIME_MASK) | mode;
    }

    public static long propagationOf(String name) {
        return switch (name) {
            case "private" -> MountAttr.MS_PRIVATE;
            case "shared" -> MountAttr.MS_SHARED;
            case "slave" -> MountAttr.MS_SLAVE;
            case "unbindable" -> MountAttr.MS_UNBINDABLE;
            default -> throw new IllegalArgumentException("not a propagation type: " + name);
        };
    }

    public boolean readonly() {
        return (attrSet & MountAttr.RDONLY) != 0;
    }
}
