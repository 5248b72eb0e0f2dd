package jrun.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import jrun.linux.cgroups.CgroupMode;
import jrun.ttrpc.Fields;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** CgroupStats' readings as containerd's cgroups Metrics, by the field numbers of containerd/cgroups' protos. */
class ContainerMetricsTest {
    private static final String STATS = """
            {"cpu":{"usage":{"total":5000000,"percpu":[0,5000000],"kernel":1000000,"user":4000000},
                    "throttling":{"periods":3,"throttledPeriods":2,"throttledTime":7000}},
             "memory":{"cache":4096,"usage":{"limit":33554432,"usage":167936,"max":200000,"failcnt":1},
                       "swap":{"limit":67108864,"usage":200000,"failcnt":0},
                       "kernel":{"limit":0,"failcnt":0},"kernelTCP":{"limit":0,"failcnt":0},
                       "raw":{"cache":4096,"rss":8192,"total_rss":8192,"anon":8192,"file":4096,"pgfault":11,
                              "hierarchical_memory_limit":18446744073709551615}},
             "pids":{"current":2,"limit":42}}
            """;

    private static JsonNode stats() {
        return new ObjectMapper().readTree(STATS);
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
