package jrun.linux.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The host's cgroup layout as read from mountinfo. */
class CgroupMountsTest {
    private static final String HYBRID = """
            22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
            25 22 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
            26 25 0:23 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:8 - tmpfs tmpfs ro,mode=755
            27 26 0:24 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate
            28 26 0:25 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,xattr,name=systemd
            31 26 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,cpu,cpuacct
            32 26 0:29 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,memory
            33 26 0:30 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,cpuset,clone_children
            40 22 0:40 / /mnt/cgroup-copy rw,relatime - cgroup cgroup rw,pids
            """;

    @Test
    void aHybridHostHasEveryV1HierarchyWithItsControllerOptionsAndTheUnifiedDirectory() {
        CgroupLayout layout = CgroupMounts.parse(HYBRID.lines().toList());
        assertFalse(layout.unifiedOnly());
        assertEquals("unified", layout.unifiedDir());
        assertEquals(List.of(
                new CgroupLayout.V1Hierarchy("systemd", List.of("xattr", "name=systemd")),
                new CgroupLayout.V1Hierarchy("cpu,cpuacct", List.of("cpu", "cpuacct")),
                new CgroupLayout.V1Hierarchy("memory", List.of("memory")),
                new CgroupLayout.V1Hierarchy("cpuset", List.of("cpuset"))), layout.v1());
    }

    @Test
    void aPureV2HostHasOnlyTheUnifiedHierarchyAtTheRoot() {
        CgroupLayout layout = CgroupMounts.parse(List.of(
                "22 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
                "30 23 0:27 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate"));
        assertTrue(layout.unifiedOnly());
        assertEquals(List.of(), layout.v1());
        assertNull(layout.unifiedDir());
    }

    @Test
    void aV1OnlyHostHasNoUnifiedHierarchy() {
        CgroupLayout layout = CgroupMounts.parse(List.of(
                "26 25 0:23 / /sys/fs/cgroup ro - tmpfs tmpfs ro,mode=755",
                "32 26 0:29 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory"));
        assertFalse(layout.unifiedOnly());
        assertNull(layout.unifiedDir());
        assertEquals(1, layout.v1().size());
    }

    @Test
    void malformedLinesAreSkipped() {
        CgroupLayout layout = CgroupMounts.parse(List.of("", "garbage", "1 2 - cgroup",
                "32 26 0:29 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory"));
        assertEquals(List.of(new CgroupLayout.V1Hierarchy("memory", List.of("memory"))), layout.v1());
    }

    @Test
    void anUnreadableMountinfoMeansPureV2() {
        CgroupLayout layout = CgroupMounts.fromMountInfo(Path.of("/nonexistent/mountinfo"));
        assertTrue(layout.unifiedOnly());
        assertEquals(List.of(), layout.v1());
    }
}
