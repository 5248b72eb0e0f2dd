package jrun.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import jrun.linux.HostProbe.CgroupMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostProbeTest {
    @Test
    void hybridHierarchyListsV1AndV2Controllers(@TempDir Path dir) {
        HostProbe.Cgroups cg = new FakeHost(dir).probe().cgroups();
        assertEquals(CgroupMode.HYBRID, cg.mode());
        assertEquals(Map.of("cpu", "/sys/fs/cgroup/cpu,cpuacct", "cpuacct", "/sys/fs/cgroup/cpu,cpuacct",
                "memory", "/sys/fs/cgroup/memory", "devices", "/sys/fs/cgroup/devices"), cg.v1Controllers());
        assertEquals("/sys/fs/cgroup/unified", cg.v2Mount());
        assertEquals(Set.of("hugetlb"), cg.v2Controllers());
        assertEquals(Optional.of("v1"), cg.hierarchyOf("memory"));
        assertEquals(Optional.of("v2"), cg.hierarchyOf("hugetlb"));
        assertEquals(Optional.empty(), cg.hierarchyOf("net_cls"));
    }

    @Test
    void unifiedHierarchyAtSysFsCgroupIsV2(@TempDir Path dir) {
        HostProbe.Cgroups cg = new FakeHost(dir).file("/proc/self/mountinfo", FakeHost.V2_MOUNTINFO)
                .file("/sys/fs/cgroup/cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n").probe().cgroups();
        assertEquals(CgroupMode.V2, cg.mode());
        assertEquals("/sys/fs/cgroup", cg.v2Mount());
        assertEquals(List.of("cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma", "misc"), List.copyOf(cg.v2Controllers()));
        assertTrue(cg.v1Controllers().isEmpty());
    }

    @Test
    void onlyV1MountsIsV1AndNoMountsIsNone(@TempDir Path dir) {
        FakeHost host = new FakeHost(dir);
        String v1Only = FakeHost.HYBRID_MOUNTINFO.lines().filter(l -> !l.contains("cgroup2")).reduce("", (a, b) -> a + b + "\n");
        assertEquals(CgroupMode.V1, host.file("/proc/self/mountinfo", v1Only).probe().cgroups().mode());
        assertEquals(CgroupMode.NONE, host.file("/proc/self/mountinfo", "22 1 259:1 / / rw - ext4 /dev/vda1 rw\n").probe().cgroups().mode());
    }

    @Test
    void disabledV1ControllersAreNotOffered(@TempDir Path dir) {
        HostProbe.Cgroups cg = new FakeHost(dir)
                .file("/proc/cgroups", FakeHost.PROC_CGROUPS.replace("memory\t4\t38\t1", "memory\t4\t38\t0")).probe().cgroups();
        assertFalse(cg.v1Controllers().containsKey("memory"));
    }

    @Test
    void mountPointsWithEscapedSpacesAreDecoded(@TempDir Path dir) {
        HostProbe.Cgroups cg = new FakeHost(dir).file("/proc/self/mountinfo",
                "41 31 0:38 / /sys/fs/cgroup/my\\040unified rw,relatime shared:5 master:1 - cgroup2 cgroup2 rw\n").probe().cgroups();
        assertEquals("/sys/fs/cgroup/my unified", cg.v2Mount());
        assertEquals(CgroupMode.V2, cg.mode());
    }

    @Test
    void namespacesUserNamespaceLimitAndTimeOffsets(@TempDir Path dir) {
        FakeHost host = new FakeHost(dir);
        HostProbe probe = host.probe();
        assertTrue(probe.hasNamespace("network"));
        assertEquals("net", HostProbe.kernelNamespaceName("network"));
        assertEquals("mnt", HostProbe.kernelNamespaceName("mount"));
        assertEquals(OptionalLong.of(63414), probe.maxUserNamespaces());
        assertTrue(probe.hasTimeNamespaceOffsets());
        host.remove("/proc/self/ns/time").remove("/proc/self/timens_offsets").remove("/proc/sys/user/max_user_namespaces");
        assertFalse(probe.hasNamespace("time"));
        assertFalse(probe.hasTimeNamespaceOffsets());
        assertEquals(OptionalLong.empty(), probe.maxUserNamespaces());
    }

    @Test
    void seccompAndLsmDetection(@TempDir Path dir) {
        FakeHost host = new FakeHost(dir);
        HostProbe probe = host.probe();
        assertTrue(probe.hasSeccomp());
        assertTrue(probe.seccompActions().contains("user_notif"));
        assertEquals(Optional.empty(), probe.libseccomp());
        host.file("/usr/lib64/libseccomp.so.2", "");
        assertEquals(Optional.of(Path.of("/usr/lib64/libseccomp.so.2")), probe.libseccomp());

        assertFalse(probe.hasAppArmor());
        assertFalse(probe.hasSeLinux());
        host.file("/sys/module/apparmor/parameters/enabled", "Y\n");
        assertTrue(probe.hasAppArmor());
        host.file("/sys/kernel/security/lsm", "lockdown,capability,landlock,yama,selinux,bpf\n");
        assertFalse(probe.hasAppArmor(), "the LSM list is authoritative when securityfs is readable");
        assertTrue(probe.hasSeLinux());

        host.file("/proc/self/status", "Name:\tjava\n");
        assertFalse(probe.hasSeccomp());
    }

    @Test
    void theRealHostIsReadable() {
        HostProbe probe = HostProbe.system();
        assertTrue(probe.hasNamespace("mount"));
        // The value must be the whole number, not the first byte of it (integer sysctls answer one read only).
        String raw = readAll(Path.of("/proc/sys/user/max_user_namespaces"));
        assertEquals(OptionalLong.of(Long.parseLong(raw.strip())), probe.maxUserNamespaces());
        assertTrue(probe.cgroups().mode() != CgroupMode.NONE);
    }

    private static String readAll(Path p) {
        try (var in = java.nio.file.Files.newInputStream(p)) {
            return new String(in.readNBytes(4096));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
