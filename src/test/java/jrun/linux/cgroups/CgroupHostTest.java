package jrun.linux.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import jrun.base.JrunException;
import jrun.linux.cgroups.CgroupLayout.V1Hierarchy;
import jrun.linux.cgroups.CgroupLayout;
import org.junit.jupiter.api.Test;

class CgroupHostTest {
    private static final Set<String> KNOWN = Set.of("cpu", "cpuacct", "memory", "pids", "devices", "freezer");

    @Test
    void pureV2() {
        CgroupHost h = CgroupHost.from(new CgroupLayout(true, List.of(), null), KNOWN);
        assertEquals(CgroupMode.V2, h.mode());
        assertEquals(Path.of("/sys/fs/cgroup"), h.unified());
    }

    @Test
    void hybridKeepsControllersAndDropsMountFlags() {
        CgroupHost h = CgroupHost.from(new CgroupLayout(false, List.of(
                new V1Hierarchy("cpu,cpuacct", List.of("cpu", "cpuacct")),
                new V1Hierarchy("memory", List.of("memory")),
                new V1Hierarchy("systemd", List.of("xattr", "name=systemd"))), "unified"), KNOWN);
        assertEquals(CgroupMode.HYBRID, h.mode());
        assertEquals(Path.of("/sys/fs/cgroup/unified"), h.unified());
        assertEquals(List.of("name=systemd"), h.hierarchies().get(2).controllers());
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct"), h.mountOf("cpuacct"));
        assertNull(h.mountOf("pids"));
    }

    @Test
    void v1AndNone() {
        assertEquals(CgroupMode.V1, CgroupHost.from(new CgroupLayout(false,
                List.of(new V1Hierarchy("pids", List.of("pids"))), null), KNOWN).mode());
        assertThrows(JrunException.class, () -> CgroupHost.from(new CgroupLayout(false, List.of(), null), KNOWN));
    }

    @Test
    void aNewContainersDirectoriesInEveryHierarchy() {
        CgroupHost h = CgroupHost.from(new CgroupLayout(false, List.of(
                new V1Hierarchy("cpu,cpuacct", List.of("cpu", "cpuacct")),
                new V1Hierarchy("memory", List.of("memory"))), "unified"), KNOWN);
        CgroupManager m = Cgroups.manager(h, "/jrun/c1");
        assertEquals(java.util.Map.of("cpu", "/sys/fs/cgroup/cpu,cpuacct/jrun/c1", "cpuacct", "/sys/fs/cgroup/cpu,cpuacct/jrun/c1",
                "memory", "/sys/fs/cgroup/memory/jrun/c1", "unified", "/sys/fs/cgroup/unified/jrun/c1"), m.paths());
        assertEquals(CgroupMode.HYBRID, Cgroups.of(m.paths()).orElseThrow().mode());
        CgroupManager v2 = Cgroups.manager(CgroupHost.from(new CgroupLayout(true, List.of(), null), KNOWN), "/a/b");
        assertEquals(java.util.Map.of("unified", "/sys/fs/cgroup/a/b"), v2.paths());
        assertEquals(CgroupMode.V2, Cgroups.of(v2.paths()).orElseThrow().mode());
        assertEquals(java.util.Optional.empty(), Cgroups.of(java.util.Map.of()));
    }
}
