package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * process.scheduler, process.ioPriority, linux.memoryPolicy and process.execCPUAffinity, as the
 * container's process finds them: its policy, nice and real-time priority in /proc/self/stat,
 * its I/O priority from busybox's ionice (ioprio_get), its memory policy in
 * /proc/self/numa_maps, its CPUs in /proc/self/status. runc 1.1.5, installed here, ignores
 * all four (its process gets SCHED_OTHER, nice 0, the default policies and every CPU).
 */
class SchedulingIT extends SandboxedIT {
    /** /proc/PID/stat's nice (19), rt_priority (40) and policy (41), by the shell's own pid. */
    private static final String STAT = "cut -d' ' -f19,40,41 /proc/$$/stat";


    private static ObjectNode scheduler(ObjectNode config, String policy) {
        ObjectNode s = Configs.process(config).putObject("scheduler");
        s.put("policy", policy);
        return s;
    }

    @Test
    void aBatchPolicyWithANiceValueIsTheProcesss() {
        String out = sandbox.inside(STAT, c -> scheduler(c, "SCHED_BATCH").put("nice", 7));
        assertEquals("7 0 3\n", out, "nice 7, no real-time priority, policy 3 (SCHED_BATCH)");
    }

    @Test
    void withoutASchedulerTheProcessKeepsTheDefaultPolicy() {
        assertEquals("0 0 0\n", sandbox.inside(STAT));
    }

    /**
     * A real-time policy on this host (RT group scheduling, cgroup v1) needs RT time in the
     * container's cpu cgroup, whose parent must have it: the default /jrun/ID has none, so the
     * cgroup goes directly under the root here.
     */
    @Test
    void aFifoPolicyWithItsPriorityIsTheProcesss() {
        String out = sandbox.inside(STAT, c -> {
            scheduler(c, "SCHED_FIFO").put("priority", 10);
            if (Files.exists(Path.of("/sys/fs/cgroup/cpu/cpu.rt_runtime_us"))) {
                Configs.linux(c).put("cgroupsPath", "/" + Sandbox.uniqueId("jrun-it-rt"));
                ObjectNode cpu = Configs.linux(c).putObject("resources").putObject("cpu");
                cpu.put("realtimeRuntime", 10000);
                cpu.put("realtimePeriod", 1000000);
            }
        });
        assertEquals("0 10 1\n", out, "real-time priority 10, policy 1 (SCHED_FIFO)");
    }

    @Test
    void aFifoPolicyTheKernelRefusesFailsNamingTheField() {
        // No RT time in /jrun/ID's cpu cgroup on a host with RT group scheduling: EPERM.
        if (!Files.exists(Path.of("/sys/fs/cgroup/cpu/cpu.rt_runtime_us"))) {
            return;
        }
        Jrun.Result r = sandbox.sh("true", c -> scheduler(c, "SCHED_RR").put("priority", 5));
        assertEquals(1, r.exit());
        assertTrue(r.stderr().contains("set the scheduler SCHED_RR (config.json /process/scheduler")
                && r.stderr().contains("EPERM"), r.stderr());
    }

    @Test
    void theIoPriorityIsTheProcesss() {
        String out = sandbox.inside("ionice -p $$", c -> {
            ObjectNode io = Configs.process(c).putObject("ioPriority");
            io.put("class", "IOPRIO_CLASS_BE");
            io.put("priority", 6);
        });
        assertEquals("best-effort: prio 6\n", out);
        String idle = sandbox.inside("ionice -p $$", c -> {
            ObjectNode io = Configs.process(c).putObject("ioPriority");
            io.put("class", "IOPRIO_CLASS_IDLE");
            io.put("priority", 0);
        });
        assertEquals("idle\n", idle);
    }

    @Test
    void theMemoryPolicyIsTheProcesss() {
        // One NUMA node here: node 0. numa_maps shows the policy of each mapping.
        String bind = sandbox.inside("head -1 /proc/self/numa_maps", c -> {
            ObjectNode m = Configs.linux(c).putObject("memoryPolicy");
            m.put("mode", "MPOL_BIND");
            m.put("nodes", "0");
        });
        assertTrue(bind.contains(" bind:0 "), bind);
        String interleave = sandbox.inside("head -1 /proc/self/numa_maps", c -> {
            ObjectNode m = Configs.linux(c).putObject("memoryPolicy");
            m.put("mode", "MPOL_INTERLEAVE");
            m.put("nodes", "0");
            m.putArray("flags").add("MPOL_F_STATIC_NODES");
        });
        assertTrue(interleave.contains(" interleave=static:0 "), interleave);
        assertTrue(sandbox.inside("head -1 /proc/self/numa_maps").contains(" default "));
    }

    @Test
    void aMemoryPolicyWithoutTheNodesItsModeNeedsIsRefusedNamingTheField() {
        Jrun.Result r = sandbox.sh("true", c -> Configs.linux(c).putObject("memoryPolicy").put("mode", "MPOL_BIND"));
        assertEquals(1, r.exit());
        assertTrue(r.stderr().contains("config.json: /linux/memoryPolicy/nodes: MPOL_BIND needs at least one node"),
                r.stderr());
    }

    /** execCPUAffinity is exec's: the init is not affected, an exec'd process is, by its final CPUs. */
    @Test
    void execCpuAffinityFinalIsTheExecdProcesssCpus() throws Exception {
        Jrun jrun = sandbox.jrun();
        String id = Sandbox.uniqueId("affinity");
        Path bundle = sandbox.bundle(List.of("sleep", "600"), c -> Configs.process(c).putObject("execCPUAffinity")
                .put("final", "1"));
        jrun.run("run", "-d", "--bundle", bundle.toString(), id).ok();
        String all = cpusetOfTheHost();
        assertEquals(all, cpus(jrun.run("exec", id, "cat", "/proc/1/status").ok().stdout()), "the init keeps every CPU");
        assertEquals("1", cpus(jrun.run("exec", id, "cat", "/proc/self/status").ok().stdout()));

        Path process = tmp.resolve("process.json");
        Files.writeString(process, """
                {"args": ["cat", "/proc/self/status"], "cwd": "/", "user": {"uid": 0, "gid": 0},
                 "env": ["PATH=/bin", "%s"], "execCPUAffinity": {"initial": "0", "final": "0"}}
                """.formatted(sandbox.marker()));
        assertEquals("0", cpus(jrun.run("exec", "--process", process.toString(), id).ok().stdout()));
        // Initial CPUs alone: kept across the move into the cgroup by kernels from 6.2, which
        // remember a requested affinity (older ones give the cgroup's CPUs: the kernel decides).
        Files.writeString(process, """
                {"args": ["cat", "/proc/self/status"], "cwd": "/", "user": {"uid": 0, "gid": 0},
                 "env": ["PATH=/bin", "%s"], "execCPUAffinity": {"initial": "1"}}
                """.formatted(sandbox.marker()));
        String initialOnly = cpus(jrun.run("exec", "--process", process.toString(), id).ok().stdout());
        assertEquals(kernelAtLeast(6, 2) ? "1" : all, initialOnly);
        Files.writeString(process, """
                {"args": ["cat", "/proc/self/status"], "cwd": "/", "user": {"uid": 0, "gid": 0},
                 "env": ["PATH=/bin", "%s"]}
                """.formatted(sandbox.marker()));
        assertEquals(all, cpus(jrun.run("exec", "--process", process.toString(), id).ok().stdout()));
        jrun.run("delete", "-f", id).ok();
    }

    /**
     * An exec'd process gets the scheduler and I/O priority of its own process (here exec's
     * --process file), and the container's memory policy, as runc's setns init sets them.
     */
    @Test
    void anExecdProcessGetsItsOwnSchedulerAndTheContainersMemoryPolicy() throws Exception {
        Jrun jrun = sandbox.jrun();
        String id = Sandbox.uniqueId("exec-sched");
        Path bundle = sandbox.bundle(List.of("sleep", "600"), c -> {
            ObjectNode m = Configs.linux(c).putObject("memoryPolicy");
            m.put("mode", "MPOL_PREFERRED");
            m.put("nodes", "0");
        });
        jrun.run("run", "-d", "--bundle", bundle.toString(), id).ok();
        Path process = tmp.resolve("exec-process.json");
        Files.writeString(process, """
                {"args": ["sh", "-c", "%s; ionice -p $$; head -1 /proc/self/numa_maps"], "cwd": "/",
                 "user": {"uid": 0, "gid": 0}, "env": ["PATH=/bin", "%s"],
                 "scheduler": {"policy": "SCHED_IDLE"}, "ioPriority": {"class": "IOPRIO_CLASS_BE", "priority": 2}}
                """.formatted(STAT, sandbox.marker()));
        List<String> out = jrun.run("exec", "--process", process.toString(), id).ok().stdout().lines().toList();
        assertEquals("0 0 5", out.get(0), "policy 5 (SCHED_IDLE)");
        assertEquals("best-effort: prio 2", out.get(1));
        assertTrue(out.get(2).contains(" prefer:0 "), out.get(2));
        jrun.run("delete", "-f", id).ok();
    }

    /**
     * runc's reset (1.3.1 on): jrun started on one CPU (taskset, a service manager's
     * CPUAffinity) does not pin its containers there, since kernels from 6.2 keep a requested
     * affinity across cgroup moves. runc 1.1.5, installed here, keeps the caller's CPU.
     */
    @Test
    void theInitAndExecdProcessesDoNotInheritJrunsCpuAffinity() {
        String all = cpusetOfTheHost();
        if (all.equals("0")) {
            return; // one CPU: nothing to tell apart
        }
        String id = Sandbox.uniqueId("reset");
        Path bundle = sandbox.bundle(List.of("sleep", "600"), c -> { });
        onCpu0(List.of("run", "-d", "--bundle", bundle.toString(), id));
        String execd = onCpu0(List.of("exec", id, "cat", "/proc/1/status", "/proc/self/status"));
        List<String> lists = execd.lines().filter(l -> l.startsWith("Cpus_allowed_list:")).toList();
        assertEquals(List.of("Cpus_allowed_list:\t" + all, "Cpus_allowed_list:\t" + all), lists,
                "the init, then the exec'd process");
        sandbox.jrun().run("delete", "-f", id).ok();
    }

    private String onCpu0(List<String> args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("taskset", "-c", "0"));
        cmd.addAll(Jrun.launcher());
        cmd.add("--root");
        cmd.add(sandbox.jrun().root().toString());
        cmd.addAll(args);
        return Jrun.exec(cmd, null, 120).ok().stdout();
    }

    private static boolean kernelAtLeast(int major, int minor) {
        String[] v = System.getProperty("os.version").split("[.-]");
        int maj = Integer.parseInt(v[0]);
        return maj > major || (maj == major && Integer.parseInt(v[1]) >= minor);
    }

    private static String cpusetOfTheHost() {
        try {
            Path v1 = Path.of("/sys/fs/cgroup/cpuset/cpuset.cpus");
            return Files.readString(Files.exists(v1) ? v1 : Path.of("/sys/fs/cgroup/cpuset.cpus.effective")).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String cpus(String status) {
        Map<String, String> fields = ProcStatus.fields(status);
        return fields.get("Cpus_allowed_list");
    }
}
