package jrun.linux.cgroups;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import jrun.spec.Resources;

/**
 * Resources to cgroup v2 files with runc's conversions ({@link Conversions}); the {@code unified}
 * map last, so that it overrides what the typed fields wrote. Fields v2 has no file for are not
 * written (see {@link ResourceCheck}). Devices are an eBPF program: see {@link DeviceFilter}.
 */
final class V2Files {
    private V2Files() {}

    /**
     * @param current reads a file of the container's cgroup (null when missing): a swap limit
     *                given without a memory limit (update) is converted against memory.max
     * @param exists whether a file exists (io.bfq.weight takes the blkio weight unconverted)
     */
    static List<CgroupWrite> writes(Resources r, Function<String, String> current, Predicate<String> exists) {
        List<CgroupWrite> out = new ArrayList<>();
        if (r == null) {
            return out;
        }
        if (r.pids() != null && r.pids().limit() != null && r.pids().limit() != 0) {
            out.add(new CgroupWrite("pids.max", r.pids().limit() > 0 ? r.pids().limit().toString() : "max", "/pids/limit"));
        }
        memory(r.memory(), current, out);
        io(r.blockIO(), exists, out);
        cpu(r.cpu(), out);
        for (int i = 0; i < r.hugepageLimits().size(); i++) {
            Resources.HugepageLimit h = r.hugepageLimits().get(i);
            out.add(new CgroupWrite("hugetlb." + h.pageSize() + ".max", Long.toUnsignedString(h.limit()),
                    "/hugepageLimits/" + i));
        }
        V1Files.rdma(r.rdma(), out);
        for (Map.Entry<String, String> e : r.unified().entrySet()) {
            out.add(new CgroupWrite(e.getKey(), e.getValue(), "/unified/" + e.getKey().replace("~", "~0").replace("/", "~1")));
        }
        return out;
    }

    /** -1 is "max", 0 is "leave alone", anything else the number itself. */
    private static String bytes(long v) {
        return v == -1 ? "max" : Long.toString(v);
    }

    private static void memory(Resources.Memory m, Function<String, String> current, List<CgroupWrite> out) {
        if (m == null) {
            return;
        }
        long limit = m.limit() == null ? 0 : m.limit();
        long swap = m.swap() == null ? 0 : m.swap();
        if (swap != 0) {
            long memory = limit != 0 ? limit : CgroupFiles.parseCount(current.apply("memory.max"));
            long v2Swap = Conversions.swapToV2(swap, memory, "/memory/swap");
            // swap == limit converts to 0: no swap at all, which must be written, not skipped.
            out.add(new CgroupWrite("memory.swap.max", bytes(v2Swap), "/memory/swap", v2Swap == -1 || v2Swap == 0));
        } else if (limit == -1) {
            out.add(new CgroupWrite("memory.swap.max", "max", "/memory/swap", true));
        }
        if (limit != 0) {
            out.add(new CgroupWrite("memory.max", bytes(limit), "/memory/limit"));
        }
        if (m.reservation() != null && m.reservation() != 0) {
            out.add(new CgroupWrite("memory.low", bytes(m.reservation()), "/memory/reservation"));
        }
    }

    private static void io(Resources.BlockIo b, Predicate<String> exists, List<CgroupWrite> out) {
        if (b == null) {
            return;
        }
        boolean bfq = exists.test("io.bfq.weight");
        if (b.weight() != null && b.weight() != 0) {
            out.add(bfq ? new CgroupWrite("io.bfq.weight", b.weight().toString(), "/blockIO/weight")
                    : new CgroupWrite("io.weight", Long.toString(Conversions.blkioToIoWeight(b.weight())), "/blockIO/weight"));
        }
        for (int i = 0; i < b.weightDevice().size(); i++) {
            Resources.WeightDevice d = b.weightDevice().get(i);
            if (d.weight() != null && d.weight() != 0) {
                String dev = d.major() + ":" + d.minor() + " ";
                out.add(bfq ? new CgroupWrite("io.bfq.weight", dev + d.weight(), "/blockIO/weightDevice/" + i + "/weight")
                        : new CgroupWrite("io.weight", dev + Conversions.blkioToIoWeight(d.weight()),
                                "/blockIO/weightDevice/" + i + "/weight"));
            }
        }
        for (Throttle t : Throttle.values()) {
            List<Resources.ThrottleDevice> list = t.of(b);
            for (int i = 0; i < list.size(); i++) {
                Resources.ThrottleDevice d = list.get(i);
                out.add(new CgroupWrite("io.max", d.major() + ":" + d.minor() + " " + t.v2Key + "="
                        + Long.toUnsignedString(d.rate()), "/blockIO/" + t.field + "/" + i));
            }
        }
    }

    private static void cpu(Resources.Cpu c, List<CgroupWrite> out) {
        if (c == null) {
            return;
        }
        if (c.idle() != null) {
            out.add(new CgroupWrite("cpu.idle", c.idle().toString(), "/cpu/idle"));
        }
        if (c.shares() != null && c.shares() != 0) {
            out.add(new CgroupWrite("cpu.weight", Long.toString(Conversions.sharesToWeight(c.shares())), "/cpu/shares"));
        }
        long quota = c.quota() == null ? 0 : c.quota();
        long period = c.period() == null ? 0 : c.period();
        if (quota != 0 || period != 0) {
            String max = quota > 0 ? Long.toString(quota) : "max";
            if (period != 0) {
                max += " " + period;
            }
            out.add(new CgroupWrite("cpu.max", max, quota != 0 ? "/cpu/quota" : "/cpu/period"));
        }
        if (c.burst() != null) {
            out.add(new CgroupWrite("cpu.max.burst", c.burst().toString(), "/cpu/burst"));
        }
        if (c.cpus() != null && !c.cpus().isEmpty()) {
            out.add(new CgroupWrite("cpuset.cpus", c.cpus(), "/cpu/cpus"));
        }
        if (c.mems() != null && !c.mems().isEmpty()) {
            out.add(new CgroupWrite("cpuset.mems", c.mems(), "/cpu/mems"));
        }
    }
}
