package jrun.linux.cgroups;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import jrun.base.JrunException;
import jrun.spec.Resources;

/**
 * Refuses resources that cannot be honoured before anything is created: negative limits, values
 * out of the kernel's range, CPUs or memory nodes the machine does not have, controllers or
 * files the host lacks, and {@code unified} keys for controllers that are not enabled. Every
 * problem is reported, each naming its field.
 *
 * <p>Fields that only cgroup v1 has (swappiness, kernel TCP memory, the OOM killer switch, real-
 * time CPU time, net_cls and net_prio) are ignored on v2, as runc does, so that one config serves
 * both kinds of host. {@code memory.kernel} and {@code memory.useHierarchy} are obsolete and ignored
 * everywhere (runc ignores them too; new kernels refuse both).
 */
public final class ResourceCheck {
    private static final long MIN_SHARES = 2;
    private static final long MAX_SHARES = 262144;
    private static final long MIN_PERIOD_US = 1000;
    private static final long MAX_PERIOD_US = 1_000_000;
    private static final long MIN_QUOTA_US = 1000;

    private final CgroupFacts facts;
    private final boolean v2;
    private final List<String> problems = new ArrayList<>();

    private ResourceCheck(CgroupFacts facts) {
        this.facts = facts;
        this.v2 = facts.mode() == CgroupMode.V2;
    }

    /**
     * Throws a {@link JrunException} listing every problem, each line as
     * {@code <where><pointer>: <what>}; {@code where} is e.g. {@code config.json: /linux/resources}.
     */
    public static void check(Resources r, CgroupFacts facts, String where) {
        if (r == null) {
            return;
        }
        ResourceCheck c = new ResourceCheck(facts);
        c.memory(r.memory());
        c.cpu(r.cpu());
        c.pids(r.pids());
        c.blockIo(r.blockIO());
        c.hugepages(r.hugepageLimits());
        c.network(r.network());
        c.rdma(r.rdma());
        c.unified(r.unified());
        c.devices(r.devices());
        if (!c.problems.isEmpty()) {
            StringBuilder b = new StringBuilder();
            for (String p : c.problems) {
                b.append(b.isEmpty() ? "" : "\n").append(where).append(p);
            }
            throw new JrunException(b.toString());
        }
    }

    private void problem(String pointer, String what) {
        problems.add(pointer + ": " + what);
    }

    private boolean needController(String pointer, String controller) {
        if (facts.hasController(controller)) {
            return true;
        }
        problem(pointer, "needs the " + controller + " controller, which this host does not "
                + (v2 ? "offer in its cgroup v2 hierarchy (cgroup.controllers)" : "mount"));
        return false;
    }

    private void needFile(String pointer, String file, String why) {
        if (!facts.hasFile(file)) {
            problem(pointer, "this host's cgroups have no " + file + " (" + why + ")");
        }
    }

    /** -1 (unlimited), 0 (unset) or a positive number. */
    private void limit(String pointer, Long value, String unit) {
        if (value != null && value < -1) {
            problem(pointer, value + " is negative: give -1 for no limit or a number of " + unit);
        }
    }

    private void memory(Resources.Memory m) {
        if (m == null) {
            return;
        }
        if (!needController("/memory", "memory")) {
            return;
        }
        limit("/memory/limit", m.limit(), "bytes");
        limit("/memory/reservation", m.reservation(), "bytes");
        limit("/memory/swap", m.swap(), "bytes");
        limit("/memory/kernelTCP", m.kernelTCP(), "bytes");
        long limit = m.limit() == null ? 0 : m.limit();
        long swap = m.swap() == null ? 0 : m.swap();
        if (swap > 0 && limit > 0 && swap < limit) {
            problem("/memory/swap", "memory+swap (" + swap + ") must be at least the memory limit (" + limit + ")");
        }
        if (v2 && swap > 0 && limit <= 0) {
            problem("/memory/swap", "a swap limit needs a memory limit (memory.limit) on cgroup v2");
        }
        if (m.swappiness() != null && (m.swappiness() < 0 || m.swappiness() > 100)) {
            problem("/memory/swappiness", Long.toUnsignedString(m.swappiness()) + " is out of range: 0 to 100");
        }
        if (!v2) {
            if (swap > 0) {
                needFile("/memory/swap", "memory.memsw.limit_in_bytes", "swap accounting is off: swapaccount=1");
            }
            if (m.kernelTCP() != null && m.kernelTCP() != 0) {
                needFile("/memory/kernelTCP", "memory.kmem.tcp.limit_in_bytes", "kernel TCP memory accounting");
            }
        }
    }

    private void cpu(Resources.Cpu c) {
        if (c == null) {
            return;
        }
        boolean timing = c.shares() != null || c.quota() != null || c.period() != null || c.burst() != null
                || c.idle() != null || (!v2 && (c.realtimeRuntime() != null || c.realtimePeriod() != null));
        if (timing && needController("/cpu", "cpu")) {
            cpuTiming(c);
        }
        cpuset("/cpu/cpus", c.cpus(), facts::onlineCpus, "cpu");
        cpuset("/cpu/mems", c.mems(), facts::onlineMems, "memory node");
    }

    private void cpuTiming(Resources.Cpu c) {
        if (c.shares() != null && c.shares() != 0 && (c.shares() < MIN_SHARES || c.shares() > MAX_SHARES)) {
            problem("/cpu/shares", Long.toUnsignedString(c.shares()) + " is out of range: " + MIN_SHARES + " to " + MAX_SHARES);
        }
        long quota = c.quota() == null ? 0 : c.quota();
        if (quota < -1) {
            problem("/cpu/quota", quota + " is negative: give -1 for no limit or microseconds per period");
        } else if (quota > 0 && quota < MIN_QUOTA_US) {
            problem("/cpu/quota", quota + " µs is below the kernel's minimum of " + MIN_QUOTA_US + " µs");
        }
        if (c.period() != null && c.period() != 0 && (c.period() < MIN_PERIOD_US || c.period() > MAX_PERIOD_US)) {
            problem("/cpu/period", Long.toUnsignedString(c.period()) + " µs is out of range: " + MIN_PERIOD_US + " to "
                    + MAX_PERIOD_US);
        }
        if (c.burst() != null) {
            if (c.burst() < 0) {
                problem("/cpu/burst", Long.toUnsignedString(c.burst()) + " µs is out of range");
            } else if (quota > 0 && c.burst() > quota) {
                problem("/cpu/burst", c.burst() + " µs must not exceed the quota (" + quota + " µs)");
            }
            if (!v2) {
                needFile("/cpu/burst", "cpu.cfs_burst_us", "CFS burst needs Linux 5.14");
            }
        }
        if (c.idle() != null) {
            if (c.idle() != 0 && c.idle() != 1) {
                problem("/cpu/idle", c.idle() + " is neither 0 nor 1");
            }
            if (!v2) {
                needFile("/cpu/idle", "cpu.idle", "SCHED_IDLE groups need Linux 5.15");
            }
        }
        if (!v2) {
            limit("/cpu/realtimeRuntime", c.realtimeRuntime(), "microseconds");
            if (c.realtimePeriod() != null && c.realtimePeriod() < 0) {
                problem("/cpu/realtimePeriod", Long.toUnsignedString(c.realtimePeriod()) + " µs is out of range");
            }
            if (c.realtimeRuntime() != null || c.realtimePeriod() != null) {
                needFile(c.realtimeRuntime() != null ? "/cpu/realtimeRuntime" : "/cpu/realtimePeriod",
                        "cpu.rt_runtime_us", "real-time group scheduling, CONFIG_RT_GROUP_SCHED");
            }
        }
    }

    private void cpuset(String pointer, String list, java.util.function.Supplier<BitSet> online, String what) {
        if (list == null || list.isEmpty()) {
            return;
        }
        BitSet wanted;
        try {
            wanted = CpuList.parse(list);
        } catch (IllegalArgumentException e) {
            problem(pointer, e.getMessage());
            return;
        }
        if (!needController(pointer, "cpuset")) {
            return;
        }
        BitSet available = online.get();
        BitSet missing = (BitSet) wanted.clone();
        missing.andNot(available);
        if (!missing.isEmpty()) {
            problem(pointer, what + (missing.cardinality() == 1 ? " " : "s ") + CpuList.format(missing)
                    + " not on this machine (online: " + CpuList.format(available) + ")");
        }
    }

    private void pids(Resources.Pids p) {
        if (p != null && p.limit() != null) {
            needController("/pids", "pids");
        }
    }

    private void blockIo(Resources.BlockIo b) {
        if (b == null) {
            return;
        }
        if (!needController("/blockIO", v2 ? "io" : "blkio")) {
            return;
        }
        weight("/blockIO/weight", b.weight());
        weight("/blockIO/leafWeight", b.leafWeight());
        for (int i = 0; i < b.weightDevice().size(); i++) {
            Resources.WeightDevice d = b.weightDevice().get(i);
            String p = "/blockIO/weightDevice/" + i;
            device(p, d.major(), d.minor());
            weight(p + "/weight", d.weight());
            weight(p + "/leafWeight", d.leafWeight());
        }
        for (Throttle t : Throttle.values()) {
            throttles("/blockIO/" + t.field, t.of(b), t.v1File);
        }
        if (v2) {
            return;
        }
        String why = "weights need the BFQ or CFQ I/O scheduler";
        if (b.weight() != null && b.weight() != 0 && !facts.hasFile("blkio.weight")) {
            needFile("/blockIO/weight", "blkio.bfq.weight", why);
        }
        if (b.leafWeight() != null && b.leafWeight() != 0) {
            needFile("/blockIO/leafWeight", "blkio.leaf_weight", "leaf weights need the CFQ I/O scheduler");
        }
        if (!b.weightDevice().isEmpty() && !facts.hasFile("blkio.weight_device")) {
            needFile("/blockIO/weightDevice", "blkio.bfq.weight_device", why);
        }
    }

    private void weight(String pointer, Long w) {
        if (w != null && w != 0 && (w < 10 || w > 1000)) {
            problem(pointer, w + " is out of range: 10 to 1000");
        }
    }

    private void device(String pointer, long major, long minor) {
        if (major < 0 || minor < 0) {
            problem(pointer, "a device needs its major and minor numbers (not negative)");
        }
    }

    private void throttles(String pointer, List<Resources.ThrottleDevice> list, String v1File) {
        for (int i = 0; i < list.size(); i++) {
            Resources.ThrottleDevice t = list.get(i);
            device(pointer + "/" + i, t.major(), t.minor());
            if (t.rate() < 0) {
                problem(pointer + "/" + i + "/rate", Long.toUnsignedString(t.rate()) + " is out of range");
            }
        }
        if (!list.isEmpty() && !v2) {
            needFile(pointer, v1File, "I/O throttling, CONFIG_BLK_DEV_THROTTLING");
        }
    }

    private void hugepages(List<Resources.HugepageLimit> limits) {
        if (limits.isEmpty() || !needController("/hugepageLimits", "hugetlb")) {
            return;
        }
        for (int i = 0; i < limits.size(); i++) {
            String size = limits.get(i).pageSize();
            if (!facts.hugepageSizes().contains(size)) {
                problem("/hugepageLimits/" + i + "/pageSize", "\"" + size + "\" is not a huge page size of this host (it has "
                        + (facts.hugepageSizes().isEmpty() ? "none" : String.join(", ", facts.hugepageSizes())) + ")");
            }
            if (limits.get(i).limit() < 0) {
                problem("/hugepageLimits/" + i + "/limit", Long.toUnsignedString(limits.get(i).limit()) + " is out of range");
            }
        }
    }

    private void network(Resources.Network n) {
        if (n == null || v2) {
            return;
        }
        if (n.classID() != null) {
            needController("/network/classID", "net_cls");
        }
        if (!n.priorities().isEmpty()) {
            needController("/network/priorities", "net_prio");
        }
    }

    private void rdma(Map<String, Resources.Rdma> rdma) {
        if (!rdma.isEmpty()) {
            needController("/rdma", "rdma");
        }
    }

    private void unified(Map<String, String> unified) {
        if (unified.isEmpty()) {
            return;
        }
        if (!v2) {
            problem("/unified", "sets cgroup v2 files, but this host's controllers are on cgroup v1");
            return;
        }
        for (String key : unified.keySet()) {
            String pointer = "/unified/" + key.replace("~", "~0").replace("/", "~1");
            int dot = key.indexOf('.');
            if (key.contains("/") || dot <= 0 || dot == key.length() - 1) {
                problem(pointer, "\"" + key + "\" is not a cgroup interface file name such as memory.high");
                continue;
            }
            String controller = key.substring(0, dot);
            if (!controller.equals("cgroup") && !facts.hasController(controller)) {
                problem(pointer, "the " + controller + " controller is not enabled on this host");
            }
        }
    }

    private void devices(List<Resources.DeviceRule> rules) {
        for (int i = 0; i < rules.size(); i++) {
            Resources.DeviceRule d = rules.get(i);
            String p = "/devices/" + i;
            if (d.type() != null && !d.type().isEmpty() && !List.of("a", "b", "c").contains(d.type())) {
                problem(p + "/type", "\"" + d.type() + "\" is not a, b or c");
            }
            if (d.major() != null && d.major() < -1) {
                problem(p + "/major", d.major() + " is neither a device number nor -1 (any)");
            }
            if (d.minor() != null && d.minor() < -1) {
                problem(p + "/minor", d.minor() + " is neither a device number nor -1 (any)");
            }
            if (d.access() != null && !d.access().chars().allMatch(ch -> ch == 'r' || ch == 'w' || ch == 'm')) {
                problem(p + "/access", "\"" + d.access() + "\" is not a combination of r, w and m");
            }
        }
        if (!rules.isEmpty() && !v2) {
            needController("/devices", "devices");
        }
    }
}
