package jrun.linux;

import static jrun.json.Jackson.toJsonValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.BitSet;
import jrun.base.JrunException;
import jrun.linux.cgroups.CpuList;
import jrun.spec.Linux;
import jrun.spec.SpecReader;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

/** process.scheduler, process.ioPriority, linux.memoryPolicy and execCPUAffinity: numbers and runc's rules. */
class SchedulingPlannerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code members} are added to a minimal process; {@code memoryPolicy} is linux.memoryPolicy's JSON or null. */
    private static ProcessScheduling plan(String members, String memoryPolicy) {
        String process = "{\"args\": [\"sh\"], \"cwd\": \"/\"" + (members.isEmpty() ? "" : ", " + members) + "}";
        Linux.MemoryPolicy policy = null;
        if (memoryPolicy != null) {
            String config = """
                    {"ociVersion": "1.3.0", "root": {"path": "r"}, "linux": {"memoryPolicy": %s}}""".formatted(memoryPolicy);
            policy = SpecReader.read(toJsonValue(JSON.readTree(config))).linux().memoryPolicy();
        }
        return SchedulingPlanner.plan(SpecReader.readProcess(toJsonValue(JSON.readTree(process)), "config.json"),
                policy);
    }

    private static ProcessScheduling plan(String members) {
        return plan(members, null);
    }

    private static String refused(String members, String memoryPolicy) {
        return assertThrows(JrunException.class, () -> plan(members, memoryPolicy)).getMessage();
    }

    @Test
    void aProcessWithoutAnyOfTheFieldsLeavesEverythingToTheKernel() {
        assertSame(ProcessScheduling.NONE, plan(""));
        assertSame(ProcessScheduling.NONE, plan("\"execCPUAffinity\": {\"initial\": \"\"}"));
    }

    @Test
    void theSchedulerBecomesSchedAttrWithTheKernelsNumbers() {
        ProcessScheduling.SchedAttr a = plan("""
                "scheduler": {"policy": "SCHED_FIFO", "priority": 10,
                              "flags": ["SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_KEEP_PARAMS"]}""").scheduler();
        assertEquals(new ProcessScheduling.SchedAttr("SCHED_FIFO", 1, 0x11, 0, 10, 0, 0, 0), a);
        assertEquals(new ProcessScheduling.SchedAttr("SCHED_DEADLINE", 6, 0, 0, 0, 10_000, 20_000, 30_000), plan("""
                "scheduler": {"policy": "SCHED_DEADLINE", "runtime": 10000, "deadline": 20000, "period": 30000}""")
                .scheduler());
        assertEquals(-5, plan("\"scheduler\": {\"policy\": \"SCHED_BATCH\", \"nice\": -5}").scheduler().nice());
    }

    @Test
    void schedulerCombinationsTheKernelWouldRefuseAreNamed() {
        assertEquals("config.json: /process/scheduler/priority: a priority is only for SCHED_FIFO and SCHED_RR, "
                + "not SCHED_OTHER", refused("\"scheduler\": {\"policy\": \"SCHED_OTHER\", \"priority\": 3}", null));
        assertEquals("config.json: /process/scheduler/priority: 0 is not a real-time priority (1 to 99, which "
                + "SCHED_RR needs)", refused("\"scheduler\": {\"policy\": \"SCHED_RR\"}", null));
        assertEquals("config.json: /process/scheduler: runtime, deadline and period are only for SCHED_DEADLINE, "
                + "not SCHED_BATCH", refused("\"scheduler\": {\"policy\": \"SCHED_BATCH\", \"period\": 5}", null));
        assertEquals("config.json: /process/scheduler/nice: 20 is not a nice value (-20 to 19) for SCHED_OTHER",
                refused("\"scheduler\": {\"policy\": \"SCHED_OTHER\", \"nice\": 20}", null));
        String unknown = refused("\"scheduler\": {\"policy\": \"SCHED_FAST\"}", null);
        assertEquals("config.json: /process/scheduler/policy: \"SCHED_FAST\" is not one of SCHED_OTHER, SCHED_FIFO, "
                + "SCHED_RR, SCHED_BATCH, SCHED_ISO, SCHED_IDLE, SCHED_DEADLINE", unknown);
        assertEquals("config.json: /process/scheduler/flags/1: \"SCHED_FLAG_X\" is not one of "
                + String.join(", ", SchedulingPlanner.Names.SCHED_FLAGS.keySet()), refused(
                "\"scheduler\": {\"policy\": \"SCHED_OTHER\", \"flags\": [\"SCHED_FLAG_RECLAIM\", \"SCHED_FLAG_X\"]}",
                null));
    }

    @Test
    void theIoPriorityIsTheClassShiftedBy13OrTheLevel() {
        assertEquals(1 << 13 | 4, plan("\"ioPriority\": {\"class\": \"IOPRIO_CLASS_RT\", \"priority\": 4}").ioPriority());
        assertEquals(3 << 13, plan("\"ioPriority\": {\"class\": \"IOPRIO_CLASS_IDLE\", \"priority\": 0}").ioPriority());
        assertEquals("config.json: /process/ioPriority/priority: 8 is not an I/O priority level (0 to 7)",
                refused("\"ioPriority\": {\"class\": \"IOPRIO_CLASS_BE\", \"priority\": 8}", null));
        assertEquals("config.json: /process/ioPriority/class: \"IOPRIO_CLASS_NONE\" is not one of IOPRIO_CLASS_RT, "
                + "IOPRIO_CLASS_BE, IOPRIO_CLASS_IDLE",
                refused("\"ioPriority\": {\"class\": \"IOPRIO_CLASS_NONE\", \"priority\": 0}", null));
    }

    @Test
    void theMemoryPolicyIsItsModeOrItsFlagsAndANodeMask() {
        ProcessScheduling.MemoryPolicy m = plan("", """
                {"mode": "MPOL_INTERLEAVE", "nodes": "0-2,5", "flags": ["MPOL_F_STATIC_NODES"]}""").memoryPolicy();
        assertEquals(3 | 1 << 15, m.mode());
        assertEquals("0-2,5", CpuList.format(m.nodes()));
        assertEquals(new BitSet(), plan("", "{\"mode\": \"MPOL_LOCAL\"}").memoryPolicy().nodes());
        assertEquals(1, plan("", "{\"mode\": \"MPOL_PREFERRED\"}").memoryPolicy().mode(), "no nodes: local allocation");
    }

    @Test
    void memoryPolicyNodeCountsTheModeForbidsOrNeedsAreNamed() {
        assertEquals("config.json: /linux/memoryPolicy/nodes: MPOL_DEFAULT takes no nodes, and 2 are given",
                refused("", "{\"mode\": \"MPOL_DEFAULT\", \"nodes\": \"0-1\"}"));
        for (String mode : new String[] {"MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_PREFERRED_MANY",
                "MPOL_WEIGHTED_INTERLEAVE"}) {
            assertEquals("config.json: /linux/memoryPolicy/nodes: " + mode + " needs at least one node",
                    refused("", "{\"mode\": \"" + mode + "\"}"));
        }
        assertEquals("config.json: /linux/memoryPolicy/nodes: \"0-x\" is not a list such as 0-3,5",
                refused("", "{\"mode\": \"MPOL_BIND\", \"nodes\": \"0-x\"}"));
        assertEquals("config.json: /linux/memoryPolicy/flags/0: \"MPOL_F_ALL\" is not one of MPOL_F_NUMA_BALANCING, "
                + "MPOL_F_RELATIVE_NODES, MPOL_F_STATIC_NODES",
                refused("", "{\"mode\": \"MPOL_BIND\", \"nodes\": \"0\", \"flags\": [\"MPOL_F_ALL\"]}"));
    }

    @Test
    void execCpuAffinityListsBecomeMasksAndAnEmptyListLeavesTheAffinity() {
        ProcessScheduling s = plan("\"execCPUAffinity\": {\"initial\": \"0-1\", \"final\": \"3,5-6\"}");
        assertEquals("0-1", CpuList.format(s.initialCpus()));
        assertEquals("3,5-6", CpuList.format(s.finalCpus()));
        assertEquals(null, plan("\"execCPUAffinity\": {\"initial\": \"2\", \"final\": \"\"}").finalCpus());
        assertEquals("config.json: /process/execCPUAffinity/final: \"3-1\" is a descending range",
                refused("\"execCPUAffinity\": {\"final\": \"3-1\"}", null));
    }
}
