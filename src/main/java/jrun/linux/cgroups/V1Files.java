package jrun.linux.cgroups;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import jrun.spec.Resources;

/**
 * Resources to cgroup v1 files, in runc's order (cpuset, memory, cpu, pids, blkio, hugetlb,
 * net_cls, net_prio, rdma). Devices are separate: see {@link DeviceRules}. Pure: what a file
 * holds now and whether it exists are asked of the caller.
 */
final class V1Files {
    private V1Files() {}

    /**
     * @param current reads a file of the container's cgroup (null when missing): the memory
     *                limit decides the order of the memory and memory+swap writes
     * @param exists whether a file exists (BFQ's weight files replace CFQ's)
     */
    static List<CgroupWrite> writes(Resources r, Function<String, String> current, Predicate<String> exists) {
        List<CgroupWrite> out = new ArrayList<>();
        if (r == null) {
            return out;
        }
        cpuset(r.cpu(), out);
        memory(r.memory(), current, exists, out);
        cpu(r.cpu(), out);
        if (r.pids() != null && r.pids().limit() != null && r.pids().limit() != 0) {
            out.add(new CgroupWrite("pids.max", r.pids().limit() > 0 ? r.pids().limit().toString() : "max", "/pids/limit"));
        }
        blkio(r.blockIO(), exists, out);
        for (int i = 0; i < r.hugepageLimits().size(); i++) {
            Resources.HugepageLimit h = r.hugepageLimits().get(i);
            out.add(new CgroupWrite("hugetlb." + h.pageSize() + ".limit_in_bytes", Long.toUnsignedString(h.limit()),
                    "/hugepageLimits/" + i));
        }
        if (r.network() != null) {
            if (r.network().classID() != null) {
                out.add(new CgroupWrite("net_cls.classid", r.network().classID().toString(), "/network/classID"));
            }
            for (int i = 0; i < r.network().priorities().size(); i++) {
                Resources.InterfacePriority p = r.network().priorities().get(i);
                out.add(new CgroupWrite("net_prio.ifpriomap", p.name() + " " + p.priority(), "/network/priorities/" + i));
            }
        }
        rdma(r.rdma(), out);
        return out;
    }

    private static void cpuset(Resources.Cpu c, List<CgroupWrite> out) {
        if (c == null) {
            return;
        }
        if (c.cpus() != null && !c.cpus().isEmpty()) {
            out.add(new CgroupWrite("cpuset.cpus", c.cpus(), "/cpu/cpus"));
        }
        if (c.mems() != null && !c.mems().isEmpty()) {
            out.add(new CgroupWrite("cpuset.mems", c.mems(), "/cpu/mems"));
        }
    }

    /**
     * memory.memsw.limit_in_bytes must never drop below memory.limit_in_bytes, so raising both
     * writes memory+swap first and lowering them writes the memory limit first (runc's rule).
     */
    private static void memory(Resources.Memory m, Function<String, String> current, Predicate<String> exists,
                               List<CgroupWrite> out) {
        if (m == null) {
            return;
        }
        long limit = m.limit() == null ? 0 : m.limit();
        long swap = m.swap() == null ? 0 : m.swap();
        if (limit == -1 && swap == 0 && exists.test("memory.memsw.limit_in_bytes")) {
            swap = -1;
        }
        CgroupWrite limitWrite = limit == 0 ? null : new CgroupWrite("memory.limit_in_bytes", Long.toString(limit), "/memory/limit");
        CgroupWrite swapWrite = swap == 0 ? null
                : new CgroupWrite("memory.memsw.limit_in_bytes", Long.toString(swap), "/memory/swap", swap == -1);
        boolean swapFirst = false;
        if (limitWrite != null && swapWrite != null) {
            long currentLimit = CgroupFiles.parseCount(current.apply("memory.limit_in_bytes"));
            swapFirst = swap == -1 || Long.compareUnsigned(currentLimit, swap) < 0;
        }
        if (swapFirst) {
            out.add(swapWrite);
            out.add(limitWrite);
        } else {
            addIfSet(out, limitWrite);
            addIfSet(out, swapWrite);
        }
        if (m.reservation() != null && m.reservation() != 0) {
            out.add(new CgroupWrite("memory.soft_limit_in_bytes", m.reservation().toString(), "/memory/reservation"));
        }
        if (m.kernelTCP() != null && m.kernelTCP() != 0) {
            out.add(new CgroupWrite("memory.kmem.tcp.limit_in_bytes", m.kernelTCP().toString(), "/memory/kernelTCP"));
        }
        if (m.swappiness() != null) {
            out.add(new CgroupWrite("memory.swappiness", m.swappiness().toString(), "/memory/swappiness"));
        }
        if (Boolean.TRUE.equals(m.disableOOMKiller())) {
            out.add(new CgroupWrite("memory.oom_control", "1", "/memory/disableOOMKiller"));
        }
    }

    private static void cpu(Resources.Cpu c, List<CgroupWrite> out) {
        if (c == null) {
            return;
        }
        if (c.shares() != null && c.shares() != 0) {
            out.add(new CgroupWrite("cpu.shares", c.shares().toString(), "/cpu/shares"));
        }
        if (c.period() != null && c.period() != 0) {
            out.add(new CgroupWrite("cpu.cfs_period_us", c.period().toString(), "/cpu/period"));
        }
        if (c.quota() != null && c.quota() != 0) {
            out.add(new CgroupWrite("cpu.cfs_quota_us", c.quota().toString(), "/cpu/quota"));
        }
        if (c.burst() != null) {
            out.add(new CgroupWrite("cpu.cfs_burst_us", c.burst().toString(), "/cpu/burst"));
        }
        if (c.realtimePeriod() != null && c.realtimePeriod() != 0) {
            out.add(new CgroupWrite("cpu.rt_period_us", c.realtimePeriod().toString(), "/cpu/realtimePeriod"));
        }
        if (c.realtimeRuntime() != null && c.realtimeRuntime() != 0) {
            out.add(new CgroupWrite("cpu.rt_runtime_us", c.realtimeRuntime().toString(), "/cpu/realtimeRuntime"));
        }
        if (c.idle() != null) {
            out.add(new CgroupWrite("cpu.idle", c.idle().toString(), "/cpu/idle"));
        }
    }

    private static void blkio(Resources.BlockIo b, Predicate<String> exists, List<CgroupWrite> out) {
        if (b == null) {
            return;
        }
        boolean bfq = !exists.test("blkio.weight") && exists.test("blkio.bfq.weight");
        if (b.weight() != null && b.weight() != 0) {
            out.add(new CgroupWrite(bfq ? "blkio.bfq.weight" : "blkio.weight", b.weight().toString(), "/blockIO/weight"));
        }
        if (b.leafWeight() != null && b.leafWeight() != 0) {
            out.add(new CgroupWrite("blkio.leaf_weight", b.leafWeight().toString(), "/blockIO/leafWeight"));
        }
        for (int i = 0; i < b.weightDevice().size(); i++) {
            Resources.WeightDevice d = b.weightDevice().get(i);
            String dev = d.major() + ":" + d.minor() + " ";
            if (d.weight() != null && d.weight() != 0) {
                out.add(new CgroupWrite(bfq ? "blkio.bfq.weight_device" : "blkio.weight_device", dev + d.weight(),
                        "/blockIO/weightDevice/" + i + "/weight"));
            }
            if (d.leafWeight() != null && d.leafWeight() != 0) {
                out.add(new CgroupWrite("blkio.leaf_weight_device", dev + d.leafWeight(),
                        "/blockIO/weightDevice/" + i + "/leafWeight"));
            }
        }
        for (Throttle t : Throttle.values()) {
            List<Resources.ThrottleDevice> list = t.of(b);
            for (int i = 0; i < list.size(); i++) {
                Resources.ThrottleDevice d = list.get(i);
                out.add(new CgroupWrite(t.v1File, d.major() + ":" + d.minor() + " " + Long.toUnsignedString(d.rate()),
                        "/blockIO/" + t.field + "/" + i));
            }
        }
    }

    /** rdma.max lines: {@code mlx4_0 hca_handle=2 hca_object=2000}, a missing limit left as it is. */
    static void rdma(Map<String, Resources.Rdma> rdma, List<CgroupWrite> out) {
        for (var e : rdma.entrySet()) {
            StringBuilder line = new StringBuilder(e.getKey());
            if (e.getValue().hcaHandles() != null) {
                line.append(" hca_handle=").append(e.getValue().hcaHandles());
            }
            if (e.getValue().hcaObjects() != null) {
                line.append(" hca_object=").append(e.getValue().hcaObjects());
            }
            out.add(new CgroupWrite("rdma.max", line.toString(), "/rdma/" + e.getKey()));
        }
    }

    private static void addIfSet(List<CgroupWrite> out, CgroupWrite w) {
        if (w != null) {
            out.add(w);
        }
    }
}
