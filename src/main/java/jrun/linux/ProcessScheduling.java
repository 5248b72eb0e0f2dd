package jrun.linux;

import java.util.BitSet;

/**
 * Where and how the container's process is scheduled, decided from {@code process.scheduler},
 * {@code process.ioPriority}, {@code linux.memoryPolicy} and {@code process.execCPUAffinity}
 * ({@link SchedulingPlanner}). Each part is null when the config leaves it to the kernel.
 *
 * @param scheduler sched_setattr(2)'s {@code struct sched_attr}
 * @param ioPriority ioprio_set(2)'s value: the class shifted by 13, or'ed with the level
 * @param memoryPolicy set_mempolicy(2)'s arguments
 * @param initialCpus exec only: the CPUs of the runtime's process until it is in the container's
 *                    cgroup (the forking thread's affinity, which the child inherits)
 * @param finalCpus exec only: the CPUs of the process once it is in the container's cgroup
 */
public record ProcessScheduling(SchedAttr scheduler, Integer ioPriority, MemoryPolicy memoryPolicy,
                                BitSet initialCpus, BitSet finalCpus) {
    public static final ProcessScheduling NONE = new ProcessScheduling(null, null, null, null, null);

    /** The fields of {@code struct sched_attr} that runtime-spec sets (no utilization clamps). */
    public record SchedAttr(String policyName, int policy, long flags, int nice, int priority, long runtime,
                            long deadline, long period) {}

    /** @param mode the mode or'ed with its flags, as set_mempolicy takes it; @param nodes empty for none */
    public record MemoryPolicy(String modeName, int mode, BitSet nodes) {}
}
