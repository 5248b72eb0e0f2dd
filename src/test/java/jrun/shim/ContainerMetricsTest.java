package jrun.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jrun.linux.cgroups.CgroupMode;
import jrun.linux.cgroups.CgroupStats;
import jrun.ttrpc.Fields;
import org.junit.jupiter.api.Test;

/** CgroupStats' readings as containerd's cgroups Metrics, by the field numbers of containerd/cgroups' protos. */
class ContainerMetricsTest {
    private static CgroupStats.Stats stats() {
        CgroupStats.Cpu cpu = new CgroupStats.Cpu(5000000, List.of(0L, 5000000L), List.of(), List.of(), 1000000,
                4000000, 3, 2, 7000);
        Map<String, Long> raw = new LinkedHashMap<>();
        raw.put("cache", 4096L);
        raw.put("rss", 8192L);
        raw.put("total_rss", 8192L);
        raw.put("anon", 8192L);
        raw.put("file", 4096L);
        raw.put("pgfault", 11L);
        raw.put("hierarchical_memory_limit", -1L); // 2^64-1 as the kernel writes it
        CgroupStats.Memory memory = new CgroupStats.Memory(4096,
                new CgroupStats.MemoryEntry(33554432, 167936, 200000, 1),
                new CgroupStats.MemoryEntry(67108864, 200000, 0, 0),
                new CgroupStats.MemoryEntry(0, 0, 0, 0), new CgroupStats.MemoryEntry(0, 0, 0, 0), raw);
        return new CgroupStats.Stats(cpu, null, memory, new CgroupStats.Pids(2, 42), null,
                Map.of("2MB", new CgroupStats.Hugetlb(4096, 8192, 1, -1)));
    }

    /** Each huge page size: v1's HugetlbStat (usage, peak, failcnt, pagesize), v2's HugeTlbStat (current, limit, pagesize). */
    @Test
    void hugetlbPerPageSize() throws Exception {
        Fields v1 = Fields.parse(ContainerMetrics.of(stats(), CgroupMode.V1)).message(1);
        assertEquals(List.of(4096L, 8192L, 1L), List.of(v1.uint(1), v1.uint(2), v1.uint(3)));
        assertEquals("2MB", v1.string(4));
        Fields v2 = Fields.parse(ContainerMetrics.of(stats(), CgroupMode.V2)).message(7);
        assertEquals(4096, v2.uint(1), "current");
        assertEquals(-1, v2.uint(2), "max: no limit, 2^64-1");
        assertEquals("2MB", v2.string(3));
    }

    @Test
    void v1Metrics() throws Exception {
        assertEquals("io.containerd.cgroups.v1.Metrics", ContainerMetrics.typeUrl(CgroupMode.HYBRID));
        Fields m = Fields.parse(ContainerMetrics.of(stats(), CgroupMode.HYBRID));
        assertEquals(2, m.message(2).uint(1), "pids.current");
        assertEquals(42, m.message(2).uint(2), "pids.limit");
        Fields usage = m.message(3).message(1);
        assertEquals(5000000, usage.uint(1), "cpu total");
        assertEquals(1000000, usage.uint(2), "kernel");
        assertEquals(4000000, usage.uint(3), "user");
        assertEquals(3, m.message(3).message(2).uint(1), "throttling periods");
        assertEquals(7000, m.message(3).message(2).uint(3), "throttled time");
        Fields memory = m.message(4);
        assertEquals(4096, memory.uint(1), "cache");
        assertEquals(8192, memory.uint(2), "rss");
        assertEquals(-1, memory.uint(16), "hierarchical_memory_limit: 2^64-1 as uint64");
        assertEquals(167936, memory.message(33).uint(2), "usage.usage");
        assertEquals(33554432, memory.message(33).uint(1), "usage.limit");
        assertEquals(1, memory.message(33).uint(4), "usage.failcnt");
        assertEquals(200000, memory.message(34).uint(2), "swap.usage");
    }

    @Test
    void perCpuUsageKeepsIdleCpus() throws Exception {
        Fields usage = Fields.parse(ContainerMetrics.of(stats(), CgroupMode.V1)).message(3).message(1);
        assertEquals(List.of(0L, 5000000L), usage.uints(4), "per_cpu, CPU 0 idle");
    }

    /** No pids limit: 0 in v1's Metrics (containerd's cgroups v1), 2^64-1 in v2's (as runc's shim reports it). */
    @Test
    void anUnlimitedPidsCountIsZeroOnV1AndMaxOnV2() throws Exception {
        CgroupStats.Stats s = stats();
        CgroupStats.Stats unlimited = new CgroupStats.Stats(s.cpu(), null, s.memory(), new CgroupStats.Pids(2, 0), null, Map.of());
        assertEquals(0, Fields.parse(ContainerMetrics.of(unlimited, CgroupMode.V1)).message(2).uint(2));
        assertEquals(-1, Fields.parse(ContainerMetrics.of(unlimited, CgroupMode.V2)).message(1).uint(2));
    }

    @Test
    void v2Metrics() throws Exception {
        assertEquals("io.containerd.cgroups.v2.Metrics", ContainerMetrics.typeUrl(CgroupMode.V2));
        Fields m = Fields.parse(ContainerMetrics.of(stats(), CgroupMode.V2));
        assertEquals(2, m.message(1).uint(1), "pids.current");
        assertEquals(42, m.message(1).uint(2), "pids.limit");
        Fields cpu = m.message(2);
        assertEquals(5000, cpu.uint(1), "usage_usec");
        assertEquals(4000, cpu.uint(2), "user_usec");
        assertEquals(1000, cpu.uint(3), "system_usec");
        assertEquals(3, cpu.uint(4), "nr_periods");
        assertEquals(2, cpu.uint(5), "nr_throttled");
        assertEquals(7, cpu.uint(6), "throttled_usec");
        Fields memory = m.message(4);
        assertEquals(8192, memory.uint(1), "anon");
        assertEquals(4096, memory.uint(2), "file");
        assertEquals(11, memory.uint(18), "pgfault");
        assertEquals(167936, memory.uint(32), "usage");
        assertEquals(33554432, memory.uint(33), "usage_limit");
        assertEquals(200000 - 167936, memory.uint(34), "swap_usage: memory+swap less memory");
        assertEquals(67108864 - 33554432, memory.uint(35), "swap_limit likewise");
    }
}
