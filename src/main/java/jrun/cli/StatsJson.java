package jrun.cli;

import java.util.List;
import java.util.Map;
import jrun.json.JsonWriter;
import jrun.linux.cgroups.CgroupStats;

/**
 * The {@code data} of a stats event as runc prints it: runc's types.Stats marshalled by Go, in
 * its fields' order and with their {@code omitempty} rules (which is why some zeros are
 * printed and others not), counters as uint64, and the empty intel_rdt and network_interfaces.
 */
public final class StatsJson {
    private StatsJson() {}

    public static JsonWriter write(JsonWriter w, CgroupStats.Stats s) {
        w.beginObject();
        cpu(w.name("cpu"), s.cpu());
        cpuset(w.name("cpuset"), s.cpuset());
        memory(w.name("memory"), s.memory());
        w.name("pids").beginObject();
        unsignedOmitZero(w, "current", s.pids().current());
        unsignedOmitZero(w, "limit", s.pids().limit());
        w.endObject();
        w.name("blkio").beginObject();
        blkio(w, "ioServiceBytesRecursive", s.blkio().ioServiceBytesRecursive());
        blkio(w, "ioServicedRecursive", s.blkio().ioServicedRecursive());
        w.endObject();
        w.name("hugetlb").beginObject();
        for (Map.Entry<String, CgroupStats.Hugetlb> e : s.hugetlb().entrySet()) {
            w.name(e.getKey()).beginObject();
            unsignedOmitZero(w, "usage", e.getValue().usage());
            unsignedOmitZero(w, "max", e.getValue().max());
            unsigned(w, "failcnt", e.getValue().failcnt());
            w.endObject();
        }
        w.endObject();
        w.name("intel_rdt").beginObject().endObject();
        return w.name("network_interfaces").nullValue().endObject();
    }

    private static void cpu(JsonWriter w, CgroupStats.Cpu c) {
        w.beginObject().name("usage").beginObject();
        unsignedOmitZero(w, "total", c.total());
        unsignedList(w, "percpu", c.percpu());
        unsignedList(w, "percpu_kernel", c.percpuKernel());
        unsignedList(w, "percpu_user", c.percpuUser());
        unsigned(w, "kernel", c.kernel());
        unsigned(w, "user", c.user());
        w.endObject().name("throttling").beginObject();
        unsignedOmitZero(w, "periods", c.periods());
        unsignedOmitZero(w, "throttledPeriods", c.throttledPeriods());
        unsignedOmitZero(w, "throttledTime", c.throttledTime());
        w.endObject().endObject();
    }

    private static void cpuset(JsonWriter w, CgroupStats.Cpuset c) {
        w.beginObject();
        integers(w, "cpus", c.cpus());
        unsigned(w, "cpu_exclusive", c.cpuExclusive());
        integers(w, "mems", c.mems());
        unsigned(w, "mem_hardwall", c.memHardwall());
        unsigned(w, "mem_exclusive", c.memExclusive());
        unsigned(w, "memory_migrate", c.memoryMigrate());
        unsigned(w, "memory_spread_page", c.memorySpreadPage());
        unsigned(w, "memory_spread_slab", c.memorySpreadSlab());
        unsigned(w, "memory_pressure", c.memoryPressure());
        unsigned(w, "sched_load_balance", c.schedLoadBalance());
        w.property("sched_relax_domain_level", c.schedRelaxDomainLevel()).endObject();
    }

    private static void memory(JsonWriter w, CgroupStats.Memory m) {
        w.beginObject();
        unsignedOmitZero(w, "cache", m.cache());
        memoryEntry(w, "usage", m.usage());
        memoryEntry(w, "swap", m.swap());
        memoryEntry(w, "kernel", m.kernel());
        memoryEntry(w, "kernelTCP", m.kernelTcp());
        if (!m.raw().isEmpty()) {
            w.name("raw").beginObject();
            for (Map.Entry<String, Long> e : m.raw().entrySet()) {
                unsigned(w, e.getKey(), e.getValue());
            }
            w.endObject();
        }
        w.endObject();
    }

    private static void memoryEntry(JsonWriter w, String name, CgroupStats.MemoryEntry e) {
        w.name(name).beginObject();
        unsigned(w, "limit", e.limit());
        unsignedOmitZero(w, "usage", e.usage());
        unsignedOmitZero(w, "max", e.max());
        unsigned(w, "failcnt", e.failcnt());
        w.endObject();
    }

    private static void blkio(JsonWriter w, String name, List<CgroupStats.BlkioEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        w.name(name).beginArray();
        for (CgroupStats.BlkioEntry e : entries) {
            w.beginObject();
            unsignedOmitZero(w, "major", e.major());
            unsignedOmitZero(w, "minor", e.minor());
            w.property("op", e.op());
            unsignedOmitZero(w, "value", e.value());
            w.endObject();
        }
        w.endArray();
    }

    private static void unsigned(JsonWriter w, String name, long value) {
        w.name(name).unsignedValue(value);
    }

    private static void unsignedOmitZero(JsonWriter w, String name, long value) {
        if (value != 0) {
            unsigned(w, name, value);
        }
    }

    private static void unsignedList(JsonWriter w, String name, List<Long> values) {
        if (!values.isEmpty()) {
            w.name(name).beginArray();
            for (long v : values) {
                w.unsignedValue(v);
            }
            w.endArray();
        }
    }

    private static void integers(JsonWriter w, String name, List<Integer> values) {
        if (!values.isEmpty()) {
            w.name(name).beginArray();
            for (int v : values) {
                w.value(v);
            }
            w.endArray();
        }
    }
}
