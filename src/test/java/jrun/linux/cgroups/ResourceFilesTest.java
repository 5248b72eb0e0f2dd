package jrun.linux.cgroups;

import static jrun.linux.cgroups.Fixtures.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import jrun.base.JrunException;
import jrun.spec.Resources;
import org.junit.jupiter.api.Test;

/** Which file gets which value, on v1 and on v2 ({@link V1Files}, {@link V2Files}). */
class ResourceFilesTest {
    private static final Resources FULL = resources("""
            {"memory": {"limit": 67108864, "reservation": 33554432, "swap": 100663296, "swappiness": 10,
                        "kernelTCP": 1048576, "disableOOMKiller": true},
             "cpu": {"shares": 1024, "quota": 20000, "period": 100000, "burst": 5000, "cpus": "1", "mems": "0", "idle": 0,
                     "realtimeRuntime": 950, "realtimePeriod": 1000},
             "pids": {"limit": 10},
             "blockIO": {"weight": 500, "leafWeight": 300,
                         "weightDevice": [{"major": 8, "minor": 0, "weight": 600, "leafWeight": 200}],
                         "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1048576}],
                         "throttleWriteIOPSDevice": [{"major": 8, "minor": 16, "rate": 100}]},
             "hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}],
             "network": {"classID": 1048577, "priorities": [{"name": "eth0", "priority": 5}]},
             "rdma": {"mlx4_0": {"hcaHandles": 2, "hcaObjects": 2000}},
             "unified": {"memory.high": "50331648", "cpu.weight": "77"}}""");

    private static List<String> lines(List<CgroupWrite> writes) {
        return writes.stream().map(w -> w.file() + " = " + w.value() + " (" + w.pointer() + ")").toList();
    }

    @Test
    void v1WritesEveryFieldToItsFileInRuncsOrder() {
        List<CgroupWrite> w = V1Files.writes(FULL, f -> "9223372036854771712", f -> !f.startsWith("blkio.bfq"));
        assertEquals(List.of(
                "cpuset.cpus = 1 (/cpu/cpus)",
                "cpuset.mems = 0 (/cpu/mems)",
                "memory.limit_in_bytes = 67108864 (/memory/limit)",
                "memory.memsw.limit_in_bytes = 100663296 (/memory/swap)",
                "memory.soft_limit_in_bytes = 33554432 (/memory/reservation)",
                "memory.kmem.tcp.limit_in_bytes = 1048576 (/memory/kernelTCP)",
                "memory.swappiness = 10 (/memory/swappiness)",
                "memory.oom_control = 1 (/memory/disableOOMKiller)",
                "cpu.shares = 1024 (/cpu/shares)",
                "cpu.cfs_period_us = 100000 (/cpu/period)",
                "cpu.cfs_quota_us = 20000 (/cpu/quota)",
                "cpu.cfs_burst_us = 5000 (/cpu/burst)",
                "cpu.rt_period_us = 1000 (/cpu/realtimePeriod)",
                "cpu.rt_runtime_us = 950 (/cpu/realtimeRuntime)",
                "cpu.idle = 0 (/cpu/idle)",
                "pids.max = 10 (/pids/limit)",
                "blkio.weight = 500 (/blockIO/weight)",
                "blkio.leaf_weight = 300 (/blockIO/leafWeight)",
                "blkio.weight_device = 8:0 600 (/blockIO/weightDevice/0/weight)",
                "blkio.leaf_weight_device = 8:0 200 (/blockIO/weightDevice/0/leafWeight)",
                "blkio.throttle.read_bps_device = 8:0 1048576 (/blockIO/throttleReadBpsDevice/0)",
                "blkio.throttle.write_iops_device = 8:16 100 (/blockIO/throttleWriteIOPSDevice/0)",
                "hugetlb.2MB.limit_in_bytes = 4194304 (/hugepageLimits/0)",
                "net_cls.classid = 1048577 (/network/classID)",
                "net_prio.ifpriomap = eth0 5 (/network/priorities/0)",
                "rdma.max = mlx4_0 hca_handle=2 hca_object=2000 (/rdma/mlx4_0)"), lines(w));
    }

    @Test
    void v1RaisingMemoryWritesMemoryPlusSwapFirst() {
        // The current limit (32 MiB) is below the new memory+swap: memsw first, or the kernel
        // refuses a memory limit above memory+swap.
        List<CgroupWrite> up = V1Files.writes(resources("{\"memory\": {\"limit\": 67108864, \"swap\": 67108864}}"),
                f -> "33554432", f -> true);
        assertEquals(List.of("memory.memsw.limit_in_bytes", "memory.limit_in_bytes"), up.stream().map(CgroupWrite::file).toList());
        List<CgroupWrite> down = V1Files.writes(resources("{\"memory\": {\"limit\": 16777216, \"swap\": 16777216}}"),
                f -> "33554432", f -> true);
        assertEquals(List.of("memory.limit_in_bytes", "memory.memsw.limit_in_bytes"), down.stream().map(CgroupWrite::file).toList());
    }

    @Test
    void v1UnlimitedMemoryAlsoLiftsSwapWhereSwapIsAccounted() {
        List<CgroupWrite> w = V1Files.writes(resources("{\"memory\": {\"limit\": -1}}"), f -> "1", f -> true);
        // Lifting both: memory+swap first, so that it never sits below the memory limit.
        assertEquals(List.of("memory.memsw.limit_in_bytes = -1 (/memory/swap)", "memory.limit_in_bytes = -1 (/memory/limit)"),
                lines(w));
        assertTrue(w.get(0).optional());
        assertEquals(1, V1Files.writes(resources("{\"memory\": {\"limit\": -1}}"), f -> "1", f -> false).size());
    }

    @Test
    void v1UsesBfqWeightFilesWhenCfqsAreMissing() {
        List<CgroupWrite> w = V1Files.writes(resources("{\"blockIO\": {\"weight\": 100, \"weightDevice\": "
                + "[{\"major\": 8, \"minor\": 0, \"weight\": 200}]}}"), f -> null, f -> f.startsWith("blkio.bfq"));
        assertEquals(List.of("blkio.bfq.weight = 100 (/blockIO/weight)",
                "blkio.bfq.weight_device = 8:0 200 (/blockIO/weightDevice/0/weight)"), lines(w));
    }

    @Test
    void v2ConvertsAsRuncDoesAndWritesUnifiedLast() {
        List<CgroupWrite> w = V2Files.writes(FULL, f -> "max", f -> false);
        assertEquals(List.of(
                "pids.max = 10 (/pids/limit)",
                "memory.swap.max = 33554432 (/memory/swap)",
                "memory.max = 67108864 (/memory/limit)",
                "memory.low = 33554432 (/memory/reservation)",
                "io.weight = 4950 (/blockIO/weight)",
                "io.weight = 8:0 5960 (/blockIO/weightDevice/0/weight)",
                "io.max = 8:0 rbps=1048576 (/blockIO/throttleReadBpsDevice/0)",
                "io.max = 8:16 wiops=100 (/blockIO/throttleWriteIOPSDevice/0)",
                "cpu.idle = 0 (/cpu/idle)",
                "cpu.weight = 39 (/cpu/shares)",
                "cpu.max = 20000 100000 (/cpu/quota)",
                "cpu.max.burst = 5000 (/cpu/burst)",
                "cpuset.cpus = 1 (/cpu/cpus)",
                "cpuset.mems = 0 (/cpu/mems)",
                "hugetlb.2MB.max = 4194304 (/hugepageLimits/0)",
                "rdma.max = mlx4_0 hca_handle=2 hca_object=2000 (/rdma/mlx4_0)",
                "memory.high = 50331648 (/unified/memory.high)",
                "cpu.weight = 77 (/unified/cpu.weight)"), lines(w));
    }

    @Test
    void v2SwapEqualToMemoryDisablesSwapAndUnlimitedIsMax() {
        List<CgroupWrite> none = V2Files.writes(resources("{\"memory\": {\"limit\": 33554432, \"swap\": 33554432}}"),
                f -> null, f -> true);
        assertEquals("memory.swap.max = 0 (/memory/swap)", lines(none).get(0));
        List<CgroupWrite> max = V2Files.writes(resources("{\"memory\": {\"limit\": -1}, \"cpu\": {\"quota\": -1}}"),
                f -> null, f -> true);
        assertEquals(List.of("memory.swap.max = max (/memory/swap)", "memory.max = max (/memory/limit)",
                "cpu.max = max (/cpu/quota)"), lines(max));
    }

    @Test
    void v2SwapAloneIsConvertedAgainstTheCurrentMemoryLimit() {
        Map<String, String> current = Map.of("memory.max", "33554432");
        List<CgroupWrite> w = V2Files.writes(resources("{\"memory\": {\"swap\": 67108864}}"), current::get, f -> true);
        assertEquals(List.of("memory.swap.max = 33554432 (/memory/swap)"), lines(w));
        JrunException e = assertThrows(JrunException.class,
                () -> V2Files.writes(resources("{\"memory\": {\"swap\": 67108864}}"), f -> "max", f -> true));
        assertEquals("/memory/swap: a swap limit needs a memory limit (memory.limit)", e.getMessage());
    }

    @Test
    void v2UsesBfqWeightUnconvertedWhenPresent() {
        List<CgroupWrite> w = V2Files.writes(resources("{\"blockIO\": {\"weight\": 500}}"), f -> null,
                f -> f.equals("io.bfq.weight"));
        assertEquals(List.of("io.bfq.weight = 500 (/blockIO/weight)"), lines(w));
    }

    @Test
    void absentOrZeroValuesWriteNothing() {
        assertEquals(List.of(), V2Files.writes(resources("{\"memory\": {}, \"cpu\": {\"shares\": 0, \"quota\": 0}, "
                + "\"pids\": {\"limit\": 0}}"), f -> null, f -> true));
        assertEquals(List.of(), V1Files.writes(resources("{\"memory\": {}, \"cpu\": {\"shares\": 0}}"), f -> null, f -> true));
        assertEquals(List.of(), V2Files.writes(null, f -> null, f -> true));
    }
}
