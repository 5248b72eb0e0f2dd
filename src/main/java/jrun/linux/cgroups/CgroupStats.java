package jrun.linux.cgroups;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A container's resource usage in the shape of runc's {@code events --stats} data (runc's
 * types.Stats, with Go's omitempty rules): cpu, cpuset, memory, pids, blkio, hugetlb, and the
 * empty intel_rdt and network_interfaces. Values are what the cgroup files say; v2's are
 * converted to v1's units as runc does (microseconds to nanoseconds; swap reported as
 * memory+swap).
 */
public final class CgroupStats {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final BigInteger UNSIGNED = BigInteger.ONE.shiftLeft(64);
    /** USER_HZ: cpuacct.stat counts clock ticks of 1/100 s. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private final CgroupManager cgroup;
    private final boolean v2;

    private CgroupStats(CgroupManager cgroup) {
        this.cgroup = cgroup;
        this.v2 = cgroup.mode() == CgroupMode.V2;
    }

    /** The {@code data} object of a stats event. */
    public static ObjectNode of(CgroupManager cgroup) {
        return new CgroupStats(cgroup).data();
    }

    private ObjectNode data() {
        ObjectNode data = NODES.objectNode();
        data.set("cpu", cpu());
        data.set("cpuset", cpuset());
        data.set("memory", memory());
        data.set("pids", pids());
        data.set("blkio", blkio());
        data.set("hugetlb", hugetlb());
        data.set("intel_rdt", NODES.objectNode());
        data.putNull("network_interfaces");
        return data;
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

    private static void unsigned(ObjectNode o, String name, long value) {
        o.put(name, value >= 0 ? BigInteger.valueOf(value) : BigInteger.valueOf(value).add(UNSIGNED));
    }

    private static void unsignedOmitZero(ObjectNode o, String name, long value) {
        if (value != 0) {
            unsigned(o, name, value);
        }
    }

    private ObjectNode cpu() {
        ObjectNode usage = NODES.objectNode();
        ObjectNode throttling = NODES.objectNode();
        Map<String, Long> stat = keyValues("cpu", "cpu.stat");
        if (v2) {
            unsignedOmitZero(usage, "total", stat.getOrDefault("usage_usec", 0L) * 1000);
            unsigned(usage, "kernel", stat.getOrDefault("system_usec", 0L) * 1000);
            unsigned(usage, "user", stat.getOrDefault("user_usec", 0L) * 1000);
            unsignedOmitZero(throttling, "throttledTime", stat.getOrDefault("throttled_usec", 0L) * 1000);
        } else {
            unsignedOmitZero(usage, "total", number("cpuacct", "cpuacct.usage"));
            perCpu(usage, "percpu", "cpuacct.usage_percpu");
            perCpu(usage, "percpu_kernel", "cpuacct.usage_percpu_sys");
            perCpu(usage, "percpu_user", "cpuacct.usage_percpu_user");
            Map<String, Long> ticks = keyValues("cpuacct", "cpuacct.stat");
            unsigned(usage, "kernel", ticks.getOrDefault("system", 0L) * NANOS_PER_TICK);
            unsigned(usage, "user", ticks.getOrDefault("user", 0L) * NANOS_PER_TICK);
            unsignedOmitZero(throttling, "throttledTime", stat.getOrDefault("throttled_time", 0L));
        }
        unsignedOmitZero(throttling, "periods", stat.getOrDefault("nr_periods", 0L));
        unsignedOmitZero(throttling, "throttledPeriods", stat.getOrDefault("nr_throttled", 0L));
        // Throttling's fields are ordered as runc prints them.
        ObjectNode ordered = NODES.objectNode();
        for (String k : List.of("periods", "throttledPeriods", "throttledTime")) {
            if (throttling.has(k)) {
                ordered.set(k, throttling.get(k));
            }
        }
        ObjectNode cpu = NODES.objectNode();
        cpu.set("usage", usage);
        cpu.set("throttling", ordered);
        return cpu;
    }

    private void perCpu(ObjectNode usage, String name, String file) {
        Path f = file("cpuacct", file);
        String s = f == null ? null : CgroupFiles.read(f);
        if (s == null || s.isBlank()) {
            return;
        }
        ArrayNode a = usage.putArray(name);
        for (String v : s.split("\\s+")) {
            a.add(new BigInteger(v));
        }
    }

    private ObjectNode cpuset() {
        ObjectNode o = NODES.objectNode();
        if (v2) {
            list(o, "cpus", "cpuset.cpus.effective");
        } else {
            list(o, "cpus", "cpuset.cpus");
        }
        unsigned(o, "cpu_exclusive", v2 ? 0 : number("cpuset", "cpuset.cpu_exclusive"));
        list(o, "mems", v2 ? "cpuset.mems.effective" : "cpuset.mems");
        for (String f : List.of("mem_hardwall", "mem_exclusive", "memory_migrate", "memory_spread_page",
                "memory_spread_slab", "memory_pressure", "sched_load_balance")) {
            unsigned(o, f, v2 ? 0 : number("cpuset", "cpuset." + f));
        }
        String level = v2 ? null : read("cpuset", "cpuset.sched_relax_domain_level");
        o.put("sched_relax_domain_level", level == null || level.isEmpty() ? 0 : Long.parseLong(level));
        return o;
    }

    private String read(String controller, String name) {
        Path f = file(controller, name);
        return f == null ? null : CgroupFiles.read(f);
    }

    private void list(ObjectNode o, String name, String file) {
        String s = read("cpuset", file);
        if (s == null || s.isEmpty()) {
            return;
        }
        BitSet set;
        try {
            set = CpuList.parse(s);
        } catch (IllegalArgumentException e) {
            return;
        }
        ArrayNode a = o.putArray(name);
        set.stream().forEach(a::add);
    }

    private ObjectNode memory() {
        ObjectNode m = NODES.objectNode();
        Map<String, Long> raw = new TreeMap<>(keyValues("memory", "memory.stat"));
        if (v2) {
            unsignedOmitZero(m, "cache", raw.getOrDefault("file", 0L));
            long limit = number("memory", "memory.max");
            long usage = number("memory", "memory.current");
            long failcnt = keyValues("memory", "memory.events").getOrDefault("max", 0L);
            m.set("usage", entry(limit, usage, number("memory", "memory.peak"), failcnt));
            long swapLimit = number("memory", "memory.swap.max");
            // runc reports v2's swap as memory+swap, v1's meaning.
            boolean noSwap = file("memory", "memory.swap.current") == null
                    || !Files.exists(file("memory", "memory.swap.current"));
            long swapUsage = noSwap ? 0 : number("memory", "memory.swap.current") + usage;
            m.set("swap", entry(noSwap ? 0 : swapLimit == -1 ? -1 : swapLimit + limit, swapUsage, 0, 0));
            m.set("kernel", entry(0, 0, 0, 0));
            m.set("kernelTCP", entry(0, 0, 0, 0));
        } else {
            unsignedOmitZero(m, "cache", raw.getOrDefault("cache", 0L));
            m.set("usage", v1Entry("memory."));
            m.set("swap", v1Entry("memory.memsw."));
            m.set("kernel", v1Entry("memory.kmem."));
            m.set("kernelTCP", v1Entry("memory.kmem.tcp."));
        }
        if (!raw.isEmpty()) {
            ObjectNode r = m.putObject("raw");
            raw.forEach((k, v) -> unsigned(r, k, v));
        }
        return m;
    }

    private ObjectNode v1Entry(String prefix) {
        return entry(number("memory", prefix + "limit_in_bytes"), number("memory", prefix + "usage_in_bytes"),
                number("memory", prefix + "max_usage_in_bytes"), number("memory", prefix + "failcnt"));
    }

    private static ObjectNode entry(long limit, long usage, long max, long failcnt) {
        ObjectNode e = NODES.objectNode();
        unsigned(e, "limit", limit);
        unsignedOmitZero(e, "usage", usage);
        unsignedOmitZero(e, "max", max);
        unsigned(e, "failcnt", failcnt);
        return e;
    }

    private ObjectNode pids() {
        ObjectNode p = NODES.objectNode();
        unsignedOmitZero(p, "current", number("pids", "pids.current"));
        long max = number("pids", "pids.max");
        // runc reports "no limit" as 0.
        unsignedOmitZero(p, "limit", max == -1 ? 0 : max);
        return p;
    }

    private ObjectNode blkio() {
        ObjectNode b = NODES.objectNode();
        if (v2) {
            ArrayNode bytes = NODES.arrayNode();
            ArrayNode ios = NODES.arrayNode();
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
                blkioEntry(bytes, dev, "Read", kv.getOrDefault("rbytes", 0L));
                blkioEntry(bytes, dev, "Write", kv.getOrDefault("wbytes", 0L));
                blkioEntry(ios, dev, "Read", kv.getOrDefault("rios", 0L));
                blkioEntry(ios, dev, "Write", kv.getOrDefault("wios", 0L));
            }
            setIfAny(b, "ioServiceBytesRecursive", bytes);
            setIfAny(b, "ioServicedRecursive", ios);
        } else {
            String kind = v1BlkioPrefix();
            setIfAny(b, "ioServiceBytesRecursive", v1Blkio(kind + "io_service_bytes_recursive"));
            setIfAny(b, "ioServicedRecursive", v1Blkio(kind + "io_serviced_recursive"));
        }
        return b;
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

    private ArrayNode v1Blkio(String name) {
        ArrayNode out = NODES.arrayNode();
        String s = read("blkio", name);
        for (String line : s == null ? new String[0] : s.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].contains(":")) {
                blkioEntry(out, f[0].split(":"), f[1], CgroupFiles.parseCount(f[2]));
            }
        }
        return out;
    }

    private static void blkioEntry(ArrayNode out, String[] dev, String op, long value) {
        ObjectNode e = out.addObject();
        unsignedOmitZero(e, "major", Long.parseLong(dev[0]));
        unsignedOmitZero(e, "minor", Long.parseLong(dev[1]));
        e.put("op", op);
        unsignedOmitZero(e, "value", value);
    }

    private static void setIfAny(ObjectNode o, String name, ArrayNode a) {
        if (!a.isEmpty()) {
            o.set(name, a);
        }
    }

    private ObjectNode hugetlb() {
        ObjectNode h = NODES.objectNode();
        Path dir = cgroup.dir("hugetlb");
        if (dir == null) {
            return h;
        }
        for (String size : HugePages.sizes()) {
            String prefix = "hugetlb." + size + ".";
            if (!Files.exists(dir.resolve(prefix + (v2 ? "current" : "usage_in_bytes")))) {
                continue;
            }
            ObjectNode e = h.putObject(size);
            if (v2) {
                unsignedOmitZero(e, "usage", CgroupFiles.number(dir.resolve(prefix + "current")));
                unsigned(e, "failcnt", CgroupFiles.keyValues(dir.resolve(prefix + "events")).getOrDefault("max", 0L));
            } else {
                unsignedOmitZero(e, "usage", CgroupFiles.number(dir.resolve(prefix + "usage_in_bytes")));
                unsignedOmitZero(e, "max", CgroupFiles.number(dir.resolve(prefix + "max_usage_in_bytes")));
                unsigned(e, "failcnt", CgroupFiles.number(dir.resolve(prefix + "failcnt")));
            }
        }
        return h;
    }
}
