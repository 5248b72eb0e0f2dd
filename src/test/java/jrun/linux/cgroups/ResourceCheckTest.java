package jrun.linux.cgroups;

import static jrun.linux.cgroups.Fixtures.resources;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import jrun.base.JrunException;
import jrun.linux.cgroups.Fixtures.FakeFacts;
import org.junit.jupiter.api.Test;

class ResourceCheckTest {
    private static final String WHERE = "config.json: /linux/resources";
    private static final FakeFacts V2 = FakeFacts.v2("cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma");
    private static final FakeFacts V1 = FakeFacts.v1(f -> !f.startsWith("blkio.bfq") && !f.equals("blkio.leaf_weight"),
            "cpuset", "cpu", "cpuacct", "blkio", "memory", "devices", "freezer", "pids", "hugetlb");

    private static List<String> problems(String json, FakeFacts facts) {
        JrunException e = assertThrows(JrunException.class, () -> ResourceCheck.check(resources(json), facts, WHERE));
        return List.of(e.getMessage().split("\n"));
    }

    @Test
    void aFullValidConfigPassesOnBothKindsOfHost() {
        String json = """
                {"memory": {"limit": 67108864, "reservation": 33554432, "swap": 134217728, "swappiness": 10,
                            "kernelTCP": -1, "disableOOMKiller": false},
                 "cpu": {"shares": 1024, "quota": 20000, "period": 100000, "burst": 10000, "cpus": "0-1", "mems": "0",
                         "idle": 0},
                 "pids": {"limit": 10},
                 "blockIO": {"weight": 500, "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1048576}]},
                 "hugepageLimits": [{"pageSize": "2MB", "limit": 0}],
                 "devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 1, "minor": 3,
                              "access": "rw"}]}""";
        assertDoesNotThrow(() -> ResourceCheck.check(resources(json), V2, WHERE));
        assertDoesNotThrow(() -> ResourceCheck.check(resources(json), V1, WHERE));
    }

    @Test
    void negativeLimitsAreRefusedNamingTheField() {
        assertEquals(List.of(WHERE + "/memory/limit: -5 is negative: give -1 for no limit or a number of bytes",
                        WHERE + "/cpu/quota: -2 is negative: give -1 for no limit or microseconds per period"),
                problems("{\"memory\": {\"limit\": -5}, \"cpu\": {\"quota\": -2}}", V2));
    }

    @Test
    void aCpuOrNodeTheMachineLacksIsRefused() {
        assertEquals(List.of(WHERE + "/cpu/cpus: cpus 2-3 not on this machine (online: 0-1)",
                        WHERE + "/cpu/mems: memory node 1 not on this machine (online: 0)"),
                problems("{\"cpu\": {\"cpus\": \"1-3\", \"mems\": \"1\"}}", V1));
        assertEquals(List.of(WHERE + "/cpu/cpus: \"x\" is not a list such as 0-3,5"), problems("{\"cpu\": {\"cpus\": \"x\"}}", V2));
    }

    @Test
    void valuesOutOfTheKernelsRangeAreRefused() {
        List<String> p = problems("""
                {"cpu": {"shares": 1, "period": 100, "quota": 500},
                 "blockIO": {"weight": 5, "weightDevice": [{"major": 8, "minor": 0, "weight": 2000}]},
                 "memory": {"swappiness": 101, "limit": 100, "swap": 50}}""", V2);
        assertEquals(List.of(
                WHERE + "/memory/swap: memory+swap (50) must be at least the memory limit (100)",
                WHERE + "/memory/swappiness: 101 is out of range: 0 to 100",
                WHERE + "/cpu/shares: 1 is out of range: 2 to 262144",
                WHERE + "/cpu/quota: 500 µs is below the kernel's minimum of 1000 µs",
                WHERE + "/cpu/period: 100 µs is out of range: 1000 to 1000000",
                WHERE + "/blockIO/weight: 5 is out of range: 10 to 1000",
                WHERE + "/blockIO/weightDevice/0/weight: 2000 is out of range: 10 to 1000"), p);
    }

    @Test
    void unifiedKeysNeedAnEnabledControllerAndCgroupV2() {
        assertEquals(List.of(WHERE + "/unified/misc.max: the misc controller is not enabled on this host",
                        WHERE + "/unified/memory: \"memory\" is not a cgroup interface file name such as memory.high",
                        WHERE + "/unified/a~1b.c: \"a/b.c\" is not a cgroup interface file name such as memory.high"),
                problems("{\"unified\": {\"misc.max\": \"1\", \"memory.high\": \"1M\", \"cgroup.max.depth\": \"3\","
                        + " \"memory\": \"1\", \"a/b.c\": \"1\"}}", V2));
        assertEquals(List.of(WHERE + "/unified: sets cgroup v2 files, but this host's controllers are on cgroup v1"),
                problems("{\"unified\": {\"memory.high\": \"1M\"}}", V1));
    }

    @Test
    void missingControllersAndFilesAreNamed() {
        assertEquals(List.of(WHERE + "/blockIO/leafWeight: this host's cgroups have no blkio.leaf_weight (leaf weights need "
                        + "the CFQ I/O scheduler)",
                        WHERE + "/network/classID: needs the net_cls controller, which this host does not mount"),
                problems("{\"blockIO\": {\"leafWeight\": 100}, \"network\": {\"classID\": 7}}", V1));
        assertEquals(List.of(WHERE + "/hugepageLimits: needs the hugetlb controller, which this host does not offer in its "
                        + "cgroup v2 hierarchy (cgroup.controllers)"),
                problems("{\"hugepageLimits\": [{\"pageSize\": \"2MB\", \"limit\": 1}]}", FakeFacts.v2("memory")));
        assertEquals(List.of(WHERE + "/hugepageLimits/0/pageSize: \"4MB\" is not a huge page size of this host (it has "
                        + String.join(", ", V2.hugepageSizes()) + ")"),
                problems("{\"hugepageLimits\": [{\"pageSize\": \"4MB\", \"limit\": 1}]}", V2));
    }

    @Test
    void v1OnlyFieldsAreIgnoredOnV2AsRuncDoes() {
        assertDoesNotThrow(() -> ResourceCheck.check(resources("""
                {"memory": {"kernelTCP": 1000000, "swappiness": 5, "disableOOMKiller": true},
                 "cpu": {"realtimeRuntime": 1000, "realtimePeriod": 10000}, "network": {"classID": 1}}"""),
                FakeFacts.v2("memory"), WHERE));
    }

    @Test
    void deviceRulesAreChecked() {
        assertEquals(List.of(WHERE + "/devices/0/type: \"x\" is not a, b or c",
                        WHERE + "/devices/1/access: \"rwx\" is not a combination of r, w and m"),
                problems("{\"devices\": [{\"allow\": true, \"type\": \"x\"}, {\"allow\": true, \"access\": \"rwx\"}]}", V2));
    }
}
