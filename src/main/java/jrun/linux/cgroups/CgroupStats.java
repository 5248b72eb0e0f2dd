package jrun.linux.cgroups;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A container's resource usage as runc's {@code events --stats} reports it (runc's types.Stats):
 * cpu, cpuset, memory, pids, blkio, hugetlb. Values are what the cgroup files say; v2's are
 * converted to v1's units as runc does (microseconds to nanoseconds; swap reported as
 * memory+swap). Counters are Go uint64s (a negative long is a value above Long.MAX_VALUE, e.g.
 * an unlimited memory limit); how they are printed is the events command's business.
 */
public final class CgroupStats {
    /** USER_HZ: cpuacct.stat counts clock ticks of 1/100 s. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    public record Stats(Cpu cpu, Cpuset cpuset, Memory memory, Pids pids, Blkio blkio, Map<String, Hugetlb> hugetlb) {}

    /** percpu lists are empty where the cgroup has none (v2). */
    public record Cpu(long total, List<Long> percpu, List<Long> percpuKernel, List<Long> percpuUser, long kernel,
                      long user, long periods, long throttledPeriods, long throttledTime) {}

    /** cpus and mems are empty when unknown. */
    public record Cpuset(List<Integer> cpus, long cpuExclusive, List<Integer> mems, long memHardwall, long memExclusive,
                         long memoryMigrate, long memorySpreadPage, long memorySpreadSlab, long memoryPressure,
                         long schedLoadBalance, long schedRelaxDomainLevel) {}

    public record Memory(long cache, MemoryEntry usage, MemoryEntry swap, MemoryEntry kernel, MemoryEntry kernelTcp,
                         Map<String, Long> raw) {}

    public record MemoryEntry(long limit, long usage, long max, long failcnt) {}

    /** limit 0: no limit, as runc reports it. */
    public record Pids(long current, long limit) {}

    public record Blkio(List<BlkioEntry> ioServiceBytesRecursive, List<BlkioEntry> ioServicedRecursive) {}

    public record BlkioEntry(long major, long minor, String op, long value) {}

    /** max: v1 only. */
    /**
     * @param max     the peak usage (v1; 0 on v2, which keeps none), as runc's events says
     * @param limit   the cgroup's limit (limit_in_bytes on v1, max on v2); -1 for none
     */
    public record Hugetlb(long usage, long max, long failcnt, long limit) {}

    private final CgroupManager cgroup;
    private final boolean v2;

    private CgroupStats(CgroupManager cgroup) {
        this.cgroup = cgroup;
        this.v2 = cgroup.mode() == CgroupMode.V2;
    }

    /** What the cgroup's files say now. */
    public static Stats of(CgroupManager cgroup) {
        CgroupStats s = new CgroupStats(cgroup);
        return new Stats(s.cpu(), s.cpuset(), s.memory(), s.pids(), s.blkio(), s.hugetlb());
    }

    private Path file(String controller, String name) {
        Path dir = cgroup.dir(controller);
        return dir == null ? null : dir.resolve(name);
    }

    private long number(String controller, String name) {
        Path f = file(controller, name);
        return f == null ? 0 : CgroupFiles.number(f);
    }

    private Map<String, Long> keyValues(String controller, String name) {
        Path f = file(controller, name);
        return f == null ? Map.of() : CgroupFiles.keyValues(f);
    }

    private Cpu cpu() {
        Map<String, Long> stat = keyValues("cpu", "cpu.stat");
        long periods = stat.getOrDefault("nr_periods", 0L);
        long throttledPeriods = stat.getOrDefault("nr_throttled", 0L);
        if (v2) {
            return new Cpu(stat.getOrDefault("usage_usec", 0L) * 1000, List.of(), List.of(), List.of(),
                    stat.getOrDefault("system_usec", 0L) * 1000, stat.getOrDefault("user_usec", 0L) * 1000,
                    periods, throttledPeriods, stat.getOrDefault("throttled_usec", 0L) * 1000);
        }
        Map<String, Long> ticks = keyValues("cpuacct", "cpuacct.stat");
        return new Cpu(number("cpuacct", "cpuacct.usage"), perCpu("cpuacct.usage_percpu"),
                perCpu("cpuacct.usage_percpu_sys"), perCpu("cpuacct.usage_percpu_user"),
                ticks.getOrDefault("system", 0L) * NANOS_PER_TICK, ticks.getOrDefault("user", 0L) * NANOS_PER_TICK,
                periods, throttledPeriods, stat.getOrDefault("throttled_time", 0L));
    }

    private List<Long> perCpu(String file) {
        Path f = file("cpuacct", file);
        String s = f == null ? null : CgroupFiles.read(f);
        if (s == null || s.isBlank()) {
            return List.of();
        }
        List<Long> values = new ArrayList<>();
        for (String v : s.trim().split("\\s+")) {
            values.add(Long.parseUnsignedLong(v));
        }
        return values;
    }

    private Cpuset cpuset() {
        long[] flags = new long[7];
        String[] names = {"mem_hardwall", "mem_exclusive", "memory_migrate", "memory_spread_page",
            "memory_spread_slab", "memory_pressure", "sched_load_balance"};
        for (int i = 0; i < names.length && !v2; i++) {
            flags[i] = number("cpuset", "cpuset." + names[i]);
        }
        String level = v2 ? null : read("cpuset", "cpuset.sched_relax_domain_level");
        return new Cpuset(list(v2 ? "cpuset.cpus.effective" : "cpuset.cpus"),
                v2 ? 0 : number("cpuset", "cpuset.cpu_exclusive"), list(v2 ? "cpuset.mems.effective" : "cpuset.mems"),
                flags[0], flags[1], flags[2], flags[3], flags[4], flags[5], flags[6],
                level == null || level.isEmpty() ? 0 : Long.parseLong(level));
    }

    private String read(String controller, String name) {
        Path f = file(controller, name);
        return f == null ? null : CgroupFiles.read(f);
    }

    private List<Integer> list(String file) {
        String s = read("cpuset", file);
        if (s == null || s.isEmpty()) {
            return List.of();
        }
        BitSet set;
        try {
            set = CpuList.parse(s);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        List<Integer> members = new ArrayList<>();
        for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
            members.add(i);
        }
        return members;
    }

    private Memory memory() {
        Map<String, Long> raw = new TreeMap<>(keyValues("memory", "memory.stat"));
        if (v2) {
            long limit = number("memory", "memory.max");
            long usage = number("memory", "memory.current");
            long failcnt = keyValues("memory", "memory.events").getOrDefault("max", 0L);
            long swapLimit = number("memory", "memory.swap.max");
            // runc reports v2's swap as memory+swap, v1's meaning.
            boolean noSwap = file("memory", "memory.swap.current") == null
                    || !Files.exists(file("memory", "memory.swap.current"));
            long swapUsage = noSwap ? 0 : number("memory", "memory.swap.current") + usage;
            MemoryEntry none = new MemoryEntry(0, 0, 0, 0);
            return new Memory(raw.getOrDefault("file", 0L),
                    new MemoryEntry(limit, usage, number("memory", "memory.peak"), failcnt),
                    new MemoryEntry(noSwap ? 0 : swapLimit == -1 ? -1 : swapLimit + limit, swapUsage, 0, 0),
                    none, none, raw);
        }
        return new Memory(raw.getOrDefault("cache", 0L), v1Entry("memory."), v1Entry("memory.memsw."),
                v1Entry("memory.kmem."), v1Entry("memory.kmem.tcp."), raw);
    }

    private MemoryEntry v1Entry(String prefix) {
        return new MemoryEntry(number("memory", prefix + "limit_in_bytes"), number("memory", prefix + "usage_in_bytes"),
                number("memory", prefix + "max_usage_in_bytes"), number("memory", prefix + "failcnt"));
    }

    private Pids pids() {
        long max = number("pids", "pids.max");
        // runc reports "no limit" as 0.
        return new Pids(number("pids", "pids.current"), max == -1 ? 0 : max);
    }

    private Blkio blkio() {
        if (!v2) {
            String kind = v1BlkioPrefix();
            return new Blkio(v1Blkio(kind + "io_service_bytes_recursive"), v1Blkio(kind + "io_serviced_recursive"));
        }
        List<BlkioEntry> bytes = new ArrayList<>();
        List<BlkioEntry> ios = new ArrayList<>();
        String stat = read("io", "io.stat");
        for (String line : stat == null ? new String[0] : stat.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2 || !f[0].contains(":")) {
                continue;
            }
            String[] dev = f[0].split(":");
            Map<String, Long> kv = new TreeMap<>();
            for (int i = 1; i < f.length; i++) {
                String[] pair = f[i].split("=", 2);
                if (pair.length == 2) {
                    kv.put(pair[0], CgroupFiles.parseCount(pair[1]));
                }
            }
            bytes.add(blkioEntry(dev, "Read", kv.getOrDefault("rbytes", 0L)));
            bytes.add(blkioEntry(dev, "Write", kv.getOrDefault("wbytes", 0L)));
            ios.add(blkioEntry(dev, "Read", kv.getOrDefault("rios", 0L)));
            ios.add(blkioEntry(dev, "Write", kv.getOrDefault("wios", 0L)));
        }
        return new Blkio(bytes, ios);
    }

    /** CFQ's statistics when present, else BFQ's, else the throttling layer's (runc's order). */
    private String v1BlkioPrefix() {
        for (String prefix : List.of("blkio.", "blkio.bfq.", "blkio.throttle.")) {
            Path f = file("blkio", prefix + "io_service_bytes_recursive");
            if (f != null && Files.exists(f)) {
                return prefix;
            }
        }
        return "blkio.throttle.";
    }

    private List<BlkioEntry> v1Blkio(String name) {
        List<BlkioEntry> out = new ArrayList<>();
        String s = read("blkio", name);
        for (String line : s == null ? new String[0] : s.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].contains(":")) {
                out.add(blkioEntry(f[0].split(":"), f[1], CgroupFiles.parseCount(f[2])));
            }
        }
        return out;
    }

    private static BlkioEntry blkioEntry(String[] dev, String op, long value) {
        return new BlkioEntry(Long.parseLong(dev[0]), Long.parseLong(dev[1]), op, value);
    }

    private Map<String, Hugetlb> hugetlb() {
        Map<String, Hugetlb> h = new LinkedHashMap<>();
        Path dir = cgroup.dir("hugetlb");
        if (dir == null) {
            return h;
        }
        for (String size : HugePages.sizes()) {
            String prefix = "hugetlb." + size + ".";
            if (!Files.exists(dir.resolve(prefix + (v2 ? "current" : "usage_in_bytes")))) {
                continue;
            }
            if (v2) {
                h.put(size, new Hugetlb(CgroupFiles.number(dir.resolve(prefix + "current")), 0,
                        CgroupFiles.keyValues(dir.resolve(prefix + "events")).getOrDefault("max", 0L),
                        CgroupFiles.number(dir.resolve(prefix + "max"))));
            } else {
                h.put(size, new Hugetlb(CgroupFiles.number(dir.resolve(prefix + "usage_in_bytes")),
                        CgroupFiles.number(dir.resolve(prefix + "max_usage_in_bytes")),
                        CgroupFiles.number(dir.resolve(prefix + "failcnt")),
                        CgroupFiles.number(dir.resolve(prefix + "limit_in_bytes"))));
            }
        }
        return h;
    }
}
