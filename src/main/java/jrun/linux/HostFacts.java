package jrun.linux;

import java.nio.file.Files;
import java.nio.file.Path;
import jrun.linux.cgroups.CgroupLayout;
import jrun.sys.Identity;
import jrun.sys.InRoot;

/**
 * What planning needs to know about the host, behind an interface so that plans are unit tested
 * without the host's real state.
 */
public interface HostFacts {
    boolean isDirectory(String hostPath);

    boolean exists(String hostPath);

    /** A file of the rootfs, resolved inside it; null when absent. */
    default String readRootfsFile(String rootfs, String path) {
        return InRoot.readFile(rootfs, path, 1 << 20);
    }

    /** The permission bits of a directory of the rootfs, resolved inside it; -1 when there is none. */
    default int rootfsDirectoryMode(String rootfs, String path) {
        return InRoot.directoryMode(rootfs, path);
    }

    /** The cgroup hierarchies to mount for a {@code cgroup} mount inside the container. */
    CgroupLayout cgroupLayout();

    /**
     * Whether the namespace file at {@code path} is the one jrun itself runs in (the host's, for
     * a runtime started from the host).
     */
    default boolean isHostNamespace(NamespaceKind kind, String path) {
        try {
            return Files.isSameFile(Path.of(path), Path.of("/proc/self/ns", kind.procName()));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * Whether a resctrl filesystem (Intel RDT) is mounted in jrun's mount namespace; runc looks
     * for one in /proc/self/mountinfo too.
     */
    default boolean resctrlMounted() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                int dash = line.indexOf(" - ");
                if (dash >= 0 && line.startsWith("resctrl ", dash + 3)) {
                    return true;
                }
            }
            return false;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * Whether jrun itself runs in a user namespace other than the initial one: rootless podman
     * runs its runtime as root of the user's namespace, with no user namespace in config.json,
     * and mknod is refused there as in one of the container's own (runc's RunningInUserNS).
     */
    default boolean runsInUserNamespace() {
        return Identity.inUserNamespace();
    }

    /** The real host. */
    static HostFacts live() {
        return new HostFacts() {
            @Override
            public boolean isDirectory(String hostPath) {
                return Files.isDirectory(Path.of(hostPath));
            }

            @Override
            public boolean exists(String hostPath) {
                return Files.exists(Path.of(hostPath));
            }

            @Override
            public CgroupLayout cgroupLayout() {
                return CgroupLayout.detect();
            }
        };
    }
}
