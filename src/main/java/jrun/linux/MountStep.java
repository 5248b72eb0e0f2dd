package jrun.linux;

import java.util.List;

/**
 * One mount the container's init makes inside the rootfs, before pivot_root. Destinations are
 * paths inside the rootfs and are resolved there by the child (a symlink in the image can never
 * point one at the host). {@code pointer} is the config field it comes from, for errors.
 */
public sealed interface MountStep {
    String destination();

    String pointer();

    /**
     * A bind mount of a host path (relative sources are relative to the bundle). {@code attrSet}
     * and {@code attrClear} apply to the bound mount itself, the recursive ones to it and every
     * mount beneath it (runc: {@code ro} on an rbind leaves the submounts writable, {@code rro}
     * does not); {@code idmap}, when not null, makes it an idmapped mount.
     */
    record Bind(String source, String destination, boolean sourceIsDirectory, boolean recursive,
                long attrSet, long attrClear, long propagation, boolean recursivePropagation,
                String pointer, long recursiveAttrSet, long recursiveAttrClear, IdMap idmap) implements MountStep {
        public Bind(String source, String destination, boolean sourceIsDirectory, boolean recursive, long attrSet,
                    long attrClear, long propagation, boolean recursivePropagation, String pointer) {
            this(source, destination, sourceIsDirectory, recursive, attrSet, attrClear, propagation,
                    recursivePropagation, pointer, 0, 0, null);
        }
    }

    /**
     * The id mappings of an idmapped bind mount, as /proc/PID/uid_map and gid_map lines, or the
     * user namespace that has them.
     *
     * @param recursive {@code ridmap}: every mount of an rbind's subtree is idmapped, not only its top
     * @param usernsPath the container's user namespace joined by path (its maps), else null
     */
    record IdMap(String uidMap, String gidMap, boolean recursive, String usernsPath) {
        public IdMap(String uidMap, String gidMap, boolean recursive) {
            this(uidMap, gidMap, recursive, null);
        }
    }

    /**
     * A new filesystem instance: proc, tmpfs, sysfs, devpts, mqueue, cgroup, ...
     *
     * @param superblockFlags fsconfig flags (sync, lazytime, ...)
     * @param copyUp {@code tmpcopyup}: filled with the image's content at the destination before it covers it
     */
    record Filesystem(String type, String source, String destination, List<String> data, long attrSet,
                      long propagation, boolean recursivePropagation, String pointer, List<String> superblockFlags,
                      long recursiveAttrSet, long recursiveAttrClear, boolean copyUp) implements MountStep {
        public Filesystem {
            data = List.copyOf(data);
            superblockFlags = List.copyOf(superblockFlags);
        }

        public Filesystem(String type, String source, String destination, List<String> data, long attrSet,
                          long propagation, boolean recursivePropagation, String pointer) {
            this(type, source, destination, data, attrSet, propagation, recursivePropagation, pointer, List.of(),
                    0, 0, false);
        }

        /** The same mount with other filesystem data. */
        public Filesystem withData(List<String> otherData) {
            return new Filesystem(type, source, destination, otherData, attrSet,
                    propagation, recursivePropagation, pointer, superblockFlags, recursiveAttrSet,
                    recursiveAttrClear, copyUp);
        }
    }

    /**
     * Changes the attributes of the mount already at {@code destination} (an earlier mount of
     * the config, or the rootfs): runc's {@code remount}, and a cgroup mount made read-only once
     * what is mounted beneath it is in place.
     */
    record Remount(String destination, long attrSet, long attrClear, long recursiveAttrSet,
                   long recursiveAttrClear, long propagation, boolean recursivePropagation, String pointer)
            implements MountStep {
        /** Read-only, that mount alone. */
        public static Remount readonly(String destination, String pointer) {
            return new Remount(destination, MountAttr.RDONLY, 0, 0, 0, 0, false, pointer);
        }
    }
}
