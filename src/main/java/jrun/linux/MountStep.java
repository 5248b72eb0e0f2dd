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

    /** A bind mount of a host path (relative sources are relative to the bundle). */
    record Bind(String source, String destination, boolean sourceIsDirectory, boolean recursive,
                long attrSet, long attrClear, long propagation, boolean recursivePropagation,
                String pointer) implements MountStep {}

    /** A new filesystem instance: proc, tmpfs, sysfs, devpts, mqueue, cgroup, ... */
    record Filesystem(String type, String source, String destination, List<String> data, long attrSet,
                      long propagation, boolean recursivePropagation, String pointer) implements MountStep {
        public Filesystem {
            data = List.copyOf(data);
        }
    }

    /** Makes an earlier mount read-only once what is mounted beneath it is in place. */
    record RemountReadonly(String destination, String pointer) implements MountStep {}
}
