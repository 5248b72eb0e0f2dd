package jrun.shim;

import java.util.Map;
import jrun.linux.cgroups.CgroupMode;
import jrun.linux.cgroups.CgroupStats;
import jrun.ttrpc.ProtoWriter;

/**
 * A container's cgroup statistics as containerd's Stats wants them: an Any of containerd's
 * cgroups Metrics, {@code io.containerd.cgroups.v1.Metrics} on a v1 or hybrid host,
 * {@code io.containerd.cgroups.v2.Metrics} on v2 (runc's shim decides the same way). Built from
 * the readings {@code jrun events --stats} reports (CgroupStats), so the files are read in one place.
 */
final class ContainerMetrics {
    static final String V1_TYPE = "io.containerd.cgroups.v1.Metrics";
    static final String V2_TYPE = "io.containerd.cgroups.v2.Metrics";

    /** memory.stat keys of v1 to MemoryStat's field numbers (containerd/cgroups stats/v1/metrics.proto). */
    private static final Map<String, Integer> V1_MEMORY = Map.ofEntries(
            Map.entry("cache", 1), Map.entry("rss", 2), Map.entry("rss_huge", 3), Map.entry("mapped_file", 4),
            Map.entry("dirty", 5), Map.entry("writeback", 6), Map.entry("pgpgin", 7), Map.entry("pgpgout", 8),
            Map.entry("pgfault", 9), Map.entry("pgmajfault", 10), Map.entry("inactive_anon", 11),
            Map.entry("active_anon", 12), Map.entry("inactive_file", 13), Map.entry("active_file", 14),
            Map.entry("unevictable", 15), Map.entry("hierarchical_memory_limit", 16),
            Map.entry("hierarchical_memsw_limit", 17), Map.entry("total_cache", 18), Map.entry("total_rss", 19),
            Map.entry("total_rss_huge", 20), Map.entry("total_mapped_file", 21), Map.entry("total_dirty", 22),
            Map.entry("total_writeback", 23), Map.entry("total_pgpgin", 24), Map.entry("total_pgpgout", 25),
            Map.entry("total_pgfault", 26), Map.entry("total_pgmajfault", 27), Map.entry("total_inactive_anon", 28),
            Map.entry("total_active_anon", 29), Map.entry("total_inactive_file", 30),
            Map.entry("total_active_file", 31), Map.entry("total_unevictable", 32));

    /** memory.stat keys of v2 to MemoryStat's field numbers (containerd/cgroups v2/stats/metrics.proto). */
    private static final Map<String, Integer> V2_MEMORY = Map.ofEntries(
            Map.entry("anon", 1), Map.entry("file", 2), Map.entry("kernel_stack", 3), Map.entry("slab", 4),
            Map.entry("sock", 5), Map.entry("shmem", 6), Map.entry("file_mapped", 7), Map.entry("file_dirty", 8),
            Map.entry("file_writeback", 9), Map.entry("anon_thp", 10), Map.entry("inactive_anon", 11),
            Map.entry("active_anon", 12), Map.entry("inactive_file", 13), Map.entry("active_file", 14),
            Map.entry("unevictable", 15), Map.entry("slab_reclaimable", 16), Map.entry("slab_unreclaimable", 17),
            Map.entry("pgfault", 18), Map.entry("pgmajfault", 19), Map.entry("workingset_refault", 20),
            Map.entry("workingset_activate", 21), Map.entry("workingset_nodereclaim", 22), Map.entry("pgrefill", 23),
            Map.entry("pgscan", 24), Map.entry("pgsteal", 25), Map.entry("pgactivate", 26),
            Map.entry("pgdeactivate", 27), Map.entry("pglazyfree", 28), Map.entry("pglazyfreed", 29),
            Map.entry("thp_fault_alloc", 30), Map.entry("thp_collapse_alloc", 31));

    /** An Any's content: the Metrics message and its type URL. */
    record Encoded(String typeUrl, byte[] value) {}

    private ContainerMetrics() {}

    static String typeUrl(CgroupMode mode) {
        return mode == CgroupMode.V2 ? V2_TYPE : V1_TYPE;
    }

    /** The Metrics message for {@code stats}, CgroupStats' readings of a cgroup in {@code mode}. */
    static byte[] of(CgroupStats.Stats stats, CgroupMode mode) {
        return (mode == CgroupMode.V2 ? v2(stats) : v1(stats)).toByteArray();
    }

    private static ProtoWriter v1(CgroupStats.Stats s) {
        CgroupStats.Cpu cpu = s.cpu();
        ProtoWriter cpuUsage = new ProtoWriter().uint(1, cpu.total()).uint(2, cpu.kernel()).uint(3, cpu.user());
        for (long v : cpu.percpu()) {
            cpuUsage.uint64Always(4, v);
        }
        CgroupStats.Memory memory = s.memory();
        ProtoWriter mem = new ProtoWriter();
        for (Map.Entry<String, Integer> e : V1_MEMORY.entrySet()) {
            mem.uint(e.getValue(), raw(memory, e.getKey()));
        }
        mem.message(33, entry(memory.usage())).message(34, entry(memory.swap()))
                .message(35, entry(memory.kernel())).message(36, entry(memory.kernelTcp()));
        ProtoWriter metrics = new ProtoWriter();
        // HugetlbStat: usage 1, max 2 (the peak), failcnt 3, pagesize 4.
        for (Map.Entry<String, CgroupStats.Hugetlb> e : s.hugetlb().entrySet()) {
            CgroupStats.Hugetlb h = e.getValue();
            metrics.message(1, new ProtoWriter().uint(1, h.usage()).uint(2, h.max()).uint(3, h.failcnt())
                    .string(4, e.getKey()));
        }
        return metrics
                .message(2, new ProtoWriter().uint(1, s.pids().current()).uint(2, s.pids().limit()))
                .message(3, new ProtoWriter().message(1, cpuUsage).message(2, new ProtoWriter()
                        .uint(1, cpu.periods()).uint(2, cpu.throttledPeriods()).uint(3, cpu.throttledTime())))
                .message(4, mem);
    }

    private static ProtoWriter entry(CgroupStats.MemoryEntry e) {
        return new ProtoWriter().uint(1, e.limit()).uint(2, e.usage()).uint(3, e.max()).uint(4, e.failcnt());
    }

    private static ProtoWriter v2(CgroupStats.Stats s) {
        CgroupStats.Cpu cpu = s.cpu();
        CgroupStats.Memory memory = s.memory();
        ProtoWriter mem = new ProtoWriter();
        for (Map.Entry<String, Integer> e : V2_MEMORY.entrySet()) {
            mem.uint(e.getValue(), raw(memory, e.getKey()));
        }
        long used = memory.usage().usage();
        // CgroupStats reports v2's swap as memory+swap (runc's v1 meaning); containerd's v2 wants swap alone.
        long swapUsage = Math.max(0, memory.swap().usage() - used);
        long swapLimit = memory.swap().limit();
        long memLimit = memory.usage().limit();
        mem.uint(32, used).uint(33, memLimit).uint(34, swapUsage)
                .uint(35, swapLimit == -1 || memLimit == -1 ? -1 : Math.max(0, swapLimit - memLimit));
        // CgroupStats says "no limit" as 0, runc's events' word for pids.max "max" (and containerd's
        // on v1); containerd's v2 Metrics say it as 2^64-1, as runc's shim reports it.
        long pidsLimit = s.pids().limit() == 0 ? -1 : s.pids().limit();
        ProtoWriter metrics = new ProtoWriter();
        // HugeTlbStat: current 1, max 2 (the limit, 2^64-1 for none), pagesize 3.
        for (Map.Entry<String, CgroupStats.Hugetlb> e : s.hugetlb().entrySet()) {
            metrics.message(7, new ProtoWriter().uint(1, e.getValue().usage()).uint(2, e.getValue().limit())
                    .string(3, e.getKey()));
        }
        return metrics
                .message(1, new ProtoWriter().uint(1, s.pids().current()).uint(2, pidsLimit))
                .message(2, new ProtoWriter().uint(1, cpu.total() / 1000).uint(2, cpu.user() / 1000)
                        .uint(3, cpu.kernel() / 1000).uint(4, cpu.periods())
                        .uint(5, cpu.throttledPeriods()).uint(6, cpu.throttledTime() / 1000))
                .message(4, mem);
    }

    private static long raw(CgroupStats.Memory memory, String key) {
        Long v = memory.raw().get(key);
        return v == null ? 0 : v;
    }
}
