package jrun.linux;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jrun.linux.cgroups.CpuList;
import jrun.spec.Linux;
import jrun.spec.ProcessSpec;

/**
 * Plans {@link ProcessScheduling} with runc's rules (libcontainer/configs/validate, runc 1.4):
 * names to the kernel's numbers (the tables are also what {@code features} reports), and the
 * combinations sched_setattr and set_mempolicy would refuse with a bare EINVAL named up front.
 */
public final class SchedulingPlanner {
    /**
     * The kernel's numbers by name, in a holder: most containers set none of these fields, and
     * building the tables (interpreted, at every create) is then not needed.
     */
    static final class Names {
        /** sched_setattr policies (include/uapi/linux/sched.h); SCHED_ISO is reserved, never implemented. */
        static final Map<String, Integer> POLICIES = table("SCHED_OTHER", 0, "SCHED_FIFO", 1, "SCHED_RR", 2,
                "SCHED_BATCH", 3, "SCHED_ISO", 4, "SCHED_IDLE", 5, "SCHED_DEADLINE", 6);
        static final Map<String, Integer> SCHED_FLAGS = table("SCHED_FLAG_RESET_ON_FORK", 0x01,
                "SCHED_FLAG_RECLAIM", 0x02, "SCHED_FLAG_DL_OVERRUN", 0x04, "SCHED_FLAG_KEEP_POLICY", 0x08,
                "SCHED_FLAG_KEEP_PARAMS", 0x10, "SCHED_FLAG_UTIL_CLAMP_MIN", 0x20, "SCHED_FLAG_UTIL_CLAMP_MAX", 0x40);
        /** include/uapi/linux/ioprio.h */
        static final Map<String, Integer> IO_CLASSES = table("IOPRIO_CLASS_RT", 1, "IOPRIO_CLASS_BE", 2,
                "IOPRIO_CLASS_IDLE", 3);
        static final int IOPRIO_CLASS_SHIFT = 13;
        /** include/uapi/linux/mempolicy.h */
        static final Map<String, Integer> MEMORY_POLICY_MODES = table("MPOL_DEFAULT", 0, "MPOL_PREFERRED", 1,
                "MPOL_BIND", 2, "MPOL_INTERLEAVE", 3, "MPOL_LOCAL", 4, "MPOL_PREFERRED_MANY", 5,
                "MPOL_WEIGHTED_INTERLEAVE", 6);
        static final Map<String, Integer> MEMORY_POLICY_FLAGS = table("MPOL_F_NUMA_BALANCING", 1 << 13,
                "MPOL_F_RELATIVE_NODES", 1 << 14, "MPOL_F_STATIC_NODES", 1 << 15);

        private Names() {}
    }

    private SchedulingPlanner() {}

    /** @param memoryPolicy the container's {@code linux.memoryPolicy} (exec'd processes get it too), or null */
    public static ProcessScheduling plan(ProcessSpec p, Linux.MemoryPolicy memoryPolicy) {
        ProcessScheduling.SchedAttr scheduler = p.scheduler() == null ? null : scheduler(p.scheduler());
        Integer io = p.ioPriority() == null ? null : ioPriority(p.ioPriority());
        ProcessScheduling.MemoryPolicy policy = memoryPolicy == null ? null : memoryPolicy(memoryPolicy);
        ProcessSpec.CpuAffinity affinity = p.execCPUAffinity();
        BitSet initial = affinity == null ? null : cpus(affinity.initialCpus(), "/process/execCPUAffinity/initial");
        BitSet last = affinity == null ? null : cpus(affinity.finalCpus(), "/process/execCPUAffinity/final");
        if (scheduler == null && io == null && policy == null && initial == null && last == null) {
            return ProcessScheduling.NONE;
        }
        return new ProcessScheduling(scheduler, io, policy, initial, last);
    }

    public static List<String> memoryPolicyModes() {
        return List.copyOf(Names.MEMORY_POLICY_MODES.keySet());
    }

    public static List<String> memoryPolicyFlags() {
        return List.copyOf(Names.MEMORY_POLICY_FLAGS.keySet());
    }

    static ProcessScheduling.SchedAttr scheduler(ProcessSpec.Scheduler s) {
        String at = "/process/scheduler";
        int policy = lookup(Names.POLICIES, s.policy(), at + "/policy");
        long flags = 0;
        for (int i = 0; i < s.flags().size(); i++) {
            flags |= lookup(Names.SCHED_FLAGS, s.flags().get(i), at + "/flags/" + i);
        }
        boolean normal = s.policy().equals("SCHED_OTHER") || s.policy().equals("SCHED_BATCH");
        if (normal && (s.nice() < -20 || s.nice() > 19)) {
            throw ContainerPlanner.fieldError(at + "/nice", s.nice() + " is not a nice value (-20 to 19) for "
                    + s.policy());
        }
        boolean realTime = s.policy().equals("SCHED_FIFO") || s.policy().equals("SCHED_RR");
        if (s.priority() != 0 && !realTime) {
            throw ContainerPlanner.fieldError(at + "/priority", "a priority is only for SCHED_FIFO and SCHED_RR, not "
                    + s.policy());
        }
        if (realTime && (s.priority() < 1 || s.priority() > 99)) {
            throw ContainerPlanner.fieldError(at + "/priority", s.priority() + " is not a real-time priority (1 to 99, "
                    + "which " + s.policy() + " needs)");
        }
        boolean deadline = s.policy().equals("SCHED_DEADLINE");
        if (!deadline && (s.runtime() != 0 || s.deadline() != 0 || s.period() != 0)) {
            throw ContainerPlanner.fieldError(at, "runtime, deadline and period are only for SCHED_DEADLINE, not "
                    + s.policy());
        }
        return new ProcessScheduling.SchedAttr(s.policy(), policy, flags, (int) s.nice(), (int) s.priority(),
                s.runtime(), s.deadline(), s.period());
    }

    static int ioPriority(ProcessSpec.IoPriority io) {
        String at = "/process/ioPriority";
        int ioClass = lookup(Names.IO_CLASSES, io.ioClass(), at + "/class");
        if (io.priority() < 0 || io.priority() > 7) {
            throw ContainerPlanner.fieldError(at + "/priority", io.priority() + " is not an I/O priority level (0 to 7)");
        }
        return ioClass << Names.IOPRIO_CLASS_SHIFT | (int) io.priority();
    }

    static ProcessScheduling.MemoryPolicy memoryPolicy(Linux.MemoryPolicy m) {
        String at = "/linux/memoryPolicy";
        int mode = lookup(Names.MEMORY_POLICY_MODES, m.mode(), at + "/mode");
        for (int i = 0; i < m.flags().size(); i++) {
            mode |= lookup(Names.MEMORY_POLICY_FLAGS, m.flags().get(i), at + "/flags/" + i);
        }
        BitSet nodes = m.nodes() == null ? new BitSet() : list(m.nodes(), at + "/nodes");
        switch (m.mode()) {
            case "MPOL_DEFAULT", "MPOL_LOCAL" -> {
                if (!nodes.isEmpty()) {
                    throw ContainerPlanner.fieldError(at + "/nodes", m.mode() + " takes no nodes, and "
                            + nodes.cardinality() + " are given");
                }
            }
            case "MPOL_PREFERRED" -> { } // zero nodes means local allocation
            default -> {
                if (nodes.isEmpty()) {
                    throw ContainerPlanner.fieldError(at + "/nodes", m.mode() + " needs at least one node");
                }
            }
        }
        return new ProcessScheduling.MemoryPolicy(m.mode(), mode, nodes);
    }

    /** A CPU list; null (leave the affinity) when absent or empty, as runc's ToCPUSet reads it. */
    private static BitSet cpus(String list, String pointer) {
        if (list == null || list.isBlank()) {
            return null;
        }
        return list(list, pointer);
    }

    private static BitSet list(String list, String pointer) {
        try {
            return CpuList.parse(list);
        } catch (IllegalArgumentException e) {
            throw ContainerPlanner.fieldError(pointer, e.getMessage());
        }
    }

    private static int lookup(Map<String, Integer> table, String name, String pointer) {
        Integer value = name == null ? null : table.get(name);
        if (value == null) {
            throw ContainerPlanner.fieldError(pointer, (name == null ? "is required" : "\"" + name + "\" is not one of "
                    + String.join(", ", table.keySet())));
        }
        return value;
    }

    private static Map<String, Integer> table(Object... nameValue) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put((String) nameValue[i], (Integer) nameValue[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
