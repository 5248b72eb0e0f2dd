package jrun.shim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RootfsMountsTest {
    private static final String MOUNTINFO = """
            22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
            301 22 0:77 / /run/containerd/io.containerd.runtime.v2.task/default/c1/rootfs rw,relatime - overlay overlay rw,lowerdir=/a
            302 22 8:1 /srv/x /tmp/my\\040bundle/rootfs rw,relatime - ext4 /dev/sda1 rw
            """;

    @Test
    void findsTheRootfsMountPoint() {
        assertTrue(RootfsMounts.listsMountPoint(MOUNTINFO, "/run/containerd/io.containerd.runtime.v2.task/default/c1/rootfs"));
        assertFalse(RootfsMounts.listsMountPoint(MOUNTINFO, "/run/containerd/io.containerd.runtime.v2.task/default/c2/rootfs"));
        assertFalse(RootfsMounts.listsMountPoint(MOUNTINFO, "/run/containerd/io.containerd.runtime.v2.task/default/c1"),
                "a prefix is not the mount point");
    }

    /** The kernel writes a space in a mount point as \040. */
    @Test
    void matchesEscapedMountPoints() {
        assertTrue(RootfsMounts.listsMountPoint(MOUNTINFO, "/tmp/my bundle/rootfs"));
        assertFalse(RootfsMounts.listsMountPoint(MOUNTINFO, "/tmp/my\\040bundle/rootfs"));
    }
}
