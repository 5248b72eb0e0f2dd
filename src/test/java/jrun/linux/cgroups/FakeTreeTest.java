package jrun.linux.cgroups;

import static jrun.linux.cgroups.Fixtures.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jrun.base.JrunException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The managers against directories that stand in for cgroup file systems: the kernel makes a
 * cgroup's files, so the test makes them, and reads back what was written.
 */
class FakeTreeTest {
    @TempDir
    Path tmp;

    private static void files(Path dir, String... names) throws IOException {
        Files.createDirectories(dir);
        for (String n : names) {
            Files.writeString(dir.resolve(n), "");
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file);
    }

    @Test
    void v2WritesTheConvertedValuesIntoTheCgroupsFiles() throws IOException {
        Path dir = tmp.resolve("jrun/c1");
        files(dir, "memory.max", "memory.swap.max", "cpu.max", "cpu.weight", "pids.max", "cgroup.procs");
        CgroupManager m = new CgroupV2(tmp, dir);
        m.create(resources("{\"memory\": {\"limit\": 33554432, \"swap\": 33554432}, \"cpu\": {\"quota\": 20000, "
                + "\"period\": 100000, \"shares\": 512}, \"pids\": {\"limit\": 10}}"), null, Cgroups.CONFIG_RESOURCES);
        assertEquals("33554432", read(dir.resolve("memory.max")));
        assertEquals("0", read(dir.resolve("memory.swap.max")));
        assertEquals("20000 100000", read(dir.resolve("cpu.max")));
        assertEquals("20", read(dir.resolve("cpu.weight")));
        assertEquals("10", read(dir.resolve("pids.max")));
        m.addProcess(4242);
        assertEquals("4242", read(dir.resolve("cgroup.procs")));
        assertEquals(List.of(4242), m.pids());
    }

    @Test
    void aFileTheHostLacksFailsNamingTheFieldAndRemovesWhatWasCreated() {
        CgroupManager m = new CgroupV2(tmp, tmp.resolve("new/c1"));
        JrunException e = assertThrows(JrunException.class, () -> m.create(resources("{\"memory\": {\"limit\": 1048576}}"),
                null, Cgroups.CONFIG_RESOURCES));
        assertTrue(e.getMessage().startsWith("config.json: /linux/resources/memory/limit: cannot write \"1048576\" to "
                + tmp.resolve("new/c1/memory.max") + ": the file does not exist"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("new")));
    }

    @Test
    void anOccupiedCgroupIsNotTakenOver() throws IOException {
        Path dir = tmp.resolve("busy");
        files(dir);
        Files.writeString(dir.resolve("cgroup.procs"), "17\n18\n");
        JrunException e = assertThrows(JrunException.class,
                () -> new CgroupV2(tmp, dir).create(null, null, Cgroups.CONFIG_RESOURCES));
        assertTrue(e.getMessage().contains("already holds processes [17, 18]"), e.getMessage());
    }

    @Test
    void v1WritesEachControllersFilesInItsHierarchyAndTheDeviceRules() throws IOException {
        Path memory = tmp.resolve("memory/jrun/c1");
        Path cpu = tmp.resolve("cpu,cpuacct/jrun/c1");
        Path devices = tmp.resolve("devices/jrun/c1");
        Path cpuset = tmp.resolve("cpuset/jrun/c1");
        files(memory, "memory.limit_in_bytes", "memory.memsw.limit_in_bytes", "cgroup.procs");
        files(cpu, "cpu.cfs_quota_us", "cpu.cfs_period_us", "cgroup.procs");
        files(devices, "devices.allow", "devices.deny", "cgroup.procs");
        files(cpuset, "cpuset.cpus", "cpuset.mems", "cgroup.procs");
        Files.writeString(tmp.resolve("cpuset/jrun/cpuset.cpus"), "0-1");
        CgroupManager m = new CgroupV1(Map.of("memory", memory, "cpu", cpu, "cpuacct", cpu, "devices", devices,
                "cpuset", cpuset), null);
        DeviceRules.Result rules = new DeviceRules.Result(false, List.of(new DeviceRules.Rule(true, 'c', 1, 3,
                DeviceRules.ALL)));
        m.create(resources("{\"memory\": {\"limit\": 33554432, \"swap\": 67108864}, \"cpu\": {\"quota\": 50000, "
                + "\"cpus\": \"1\"}}"), rules, Cgroups.CONFIG_RESOURCES);
        assertEquals("33554432", read(memory.resolve("memory.limit_in_bytes")));
        assertEquals("67108864", read(memory.resolve("memory.memsw.limit_in_bytes")));
        assertEquals("50000", read(cpu.resolve("cpu.cfs_quota_us")));
        assertEquals("1", read(cpuset.resolve("cpuset.cpus")));
        assertEquals("a", read(devices.resolve("devices.deny")));
        assertEquals("c 1:3 rwm", read(devices.resolve("devices.allow")));
        m.addProcess(99);
        for (Path d : List.of(memory, cpu, devices, cpuset)) {
            assertEquals("99", read(d.resolve("cgroup.procs")));
        }
    }

    @Test
    void v1CpusetsWithoutCpusOnTheWayDownGetTheirParents() throws IOException {
        Path root = tmp.resolve("cpuset");
        files(root);
        Files.writeString(root.resolve("cpuset.cpus"), "0-3\n");
        Files.writeString(root.resolve("cpuset.mems"), "0\n");
        // The kernel makes each new cpuset with empty cpus and mems; here the test must. The
        // parent is empty too: another jrun made it an instant ago and has not filled it yet.
        Path parent = root.resolve("jrun");
        Path leaf = parent.resolve("c1");
        files(parent, "cpuset.cpus", "cpuset.mems");
        files(leaf, "cpuset.cpus", "cpuset.mems", "cgroup.procs");
        new CgroupV1(Map.of("cpuset", leaf), null).create(null, null, Cgroups.CONFIG_RESOURCES);
        for (Path p : List.of(parent, leaf)) {
            assertEquals("0-3", read(p.resolve("cpuset.cpus")));
            assertEquals("0", read(p.resolve("cpuset.mems")));
        }
    }
}
