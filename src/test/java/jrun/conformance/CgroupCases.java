package jrun.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jrun.it.Configs;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * config-linux.md#control-groups on the host's cgroups (v1 hierarchies here; pure v2 in the VM
 * that CgroupV2IT boots), read from inside the container: the example config has a cgroup
 * namespace and mounts the cgroups, so each hierarchy's root there is the container's own cgroup.
 */
final class CgroupCases {
    /** Opens the host's /dev/vcs, bound into the container: an open the device cgroup decides. */
    private static final String OPEN_DEVICE = "(exec 3</dev/spec-vcs) 2>&1 && echo opened";

    /** The host's cgroups are pure v2 (the cgroup2 VM), not v1 or hybrid (this machine). */
    private static final boolean V2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));

    private CgroupCases() {}

    static List<SpecCase> cases() {
        return List.of(
                limit("cgroup-memory-limit", "config-linux.md#memory", "`limit` *(int64, OPTIONAL)* - sets limit of memory usage in bytes",
                        "memory/memory.limit_in_bytes", "67108864", "memory.max", "67108864", r -> r.putObject("memory").put("limit", 67108864)),
                limit("cgroup-memory-swap", "config-linux.md#memory", "`swap` *(int64, OPTIONAL)* - sets limit of memory+Swap usage",
                        "memory/memory.memsw.limit_in_bytes", "134217728", "memory.swap.max", "67108864",
                        r -> r.putObject("memory").put("limit", 67108864).put("swap", 134217728)),
                limit("cgroup-cpu-shares", "config-linux.md#cpu",
                        "`shares` *(uint64, OPTIONAL)* - specifies a relative share of CPU time available to the tasks in a cgroup",
                        "cpu/cpu.shares", "512", "cpu.weight", "20", r -> r.putObject("cpu").put("shares", 512)),
                limit("cgroup-cpu-quota", "config-linux.md#cpu",
                        "`quota` *(int64, OPTIONAL)* - specifies the total amount of time in microseconds for which all tasks in a cgroup can run during one period",
                        "cpu/cpu.cfs_quota_us", "25000", "cpu.max", "25000 100000", r -> r.putObject("cpu").put("quota", 25000).put("period", 100000)),
                limit("cgroup-cpu-period", "config-linux.md#cpu",
                        "`period` *(uint64, OPTIONAL)* - specifies a period of time in microseconds for how regularly a cgroup's access to CPU resources should be reallocated",
                        "cpu/cpu.cfs_period_us", "50000", "cpu.max", "25000 50000", r -> r.putObject("cpu").put("quota", 25000).put("period", 50000)),
                limit("cgroup-cpuset-cpus", "config-linux.md#cpu",
                        "`cpus` *(string, OPTIONAL)* - list of CPUs the container will run on.",
                        "cpuset/cpuset.cpus", "0", "cpuset.cpus", "0", r -> r.putObject("cpu").put("cpus", "0")),
                limit("cgroup-pids-limit", "config-linux.md#pids",
                        "`limit` *(int64, OPTIONAL)* - specifies the maximum number of tasks in the cgroup",
                        "pids/pids.max", "42", "pids.max", "42", r -> r.putObject("pids").put("limit", 42)),
                limit("cgroup-pids-zero", "config-linux.md#pids",
                        "Even though it may superficially seem redundant, `0` is a valid limit value for the `pids` cgroup controller from the kernel's perspective and SHOULD be treated as such by runtimes.",
                        "pids/pids.max", "0", "pids.max", "0", r -> r.putObject("pids").put("limit", 0)),
                new SpecCase("cgroup-blkio-throttle", "config-linux.md#block-io",
                        "`throttleReadBpsDevice`, `throttleWriteBpsDevice` *(array of objects, OPTIONAL)* - an array of per-device bandwidth rate limits.",
                        run -> {
                            String[] majorMinor = rootDevice().split(":");
                            String out = run.inside(read("blkio/blkio.throttle.read_bps_device"), config -> resources(config)
                                    .putObject("blockIO").putArray("throttleReadBpsDevice").addObject()
                                    .put("major", Long.parseLong(majorMinor[0])).put("minor", Long.parseLong(majorMinor[1]))
                                    .put("rate", 1048576));
                            Expect.equal(rootDevice() + " 1048576\n", out, "blkio.throttle.read_bps_device");
                        }),
                new SpecCase("cgroup-devices-in-order-allowed", "config-linux.md#allowed-device-list",
                        "`devices` (array of objects, OPTIONAL) configures the allowed device list. The runtime MUST apply entries in the listed order.",
                        run -> Expect.equal("opened\n", run.inside(OPEN_DEVICE, config -> deviceRules(config, false)),
                                "opening a device denied, then allowed")),
                new SpecCase("cgroup-devices-in-order-denied", "config-linux.md#allowed-device-list",
                        "`devices` (array of objects, OPTIONAL) configures the allowed device list. The runtime MUST apply entries in the listed order.",
                        run -> Expect.contains(run.inside(OPEN_DEVICE, config -> deviceRules(config, true)),
                                "Operation not permitted", "opening a device allowed, then denied")),
                new SpecCase("cgroups-path-absolute", "config-linux.md#cgroups-path",
                        "In the case of an absolute path (starting with `/`), the runtime MUST take the path to be relative to the cgroups mount point.",
                        run -> {
                            String path = "/" + run.newId();
                            String out = run.inside("cat /proc/self/cgroup", config -> {
                                Configs.linux(config).put("cgroupsPath", path);
                                Configs.withoutNamespace(config, "cgroup");
                            });
                            String line = V2 ? "0::" + path : "\\d+:memory:" + path;
                            Expect.that(out.lines().anyMatch(l -> l.matches(line)), "no " + line + " in:\n" + out);
                        }));
    }

    /**
     * A case reading a cgroup file (under /sys/fs/cgroup) in the container, after {@code edit} of
     * linux.resources: v1's file and value on a v1 or hybrid host, v2's (in runc's conversion of
     * the spec's v1 units) on a pure v2 host, where CgroupV2IT runs these cases in a VM.
     */
    private static SpecCase limit(String name, String source, String quote, String v1File, String v1Expected,
            String v2File, String v2Expected, java.util.function.Consumer<ObjectNode> edit) {
        String file = V2 ? v2File : v1File;
        String expected = V2 ? v2Expected : v1Expected;
        return new SpecCase(name, source, quote, run -> Expect.equal(expected + "\n",
                run.inside(read(file), config -> edit.accept(resources(config))), "/sys/fs/cgroup/" + file));
    }

    /** Reads a cgroup file with the shell's builtins only: a pids limit of 0 forbids forking. */
    private static String read(String file) {
        return "read -r value < /sys/fs/cgroup/" + file + "; echo \"$value\"";
    }

    private static ObjectNode resources(ObjectNode config) {
        ObjectNode linux = Configs.linux(config);
        return linux.has("resources") ? (ObjectNode) linux.get("resources") : linux.putObject("resources");
    }

    /**
     * The host's /dev/vcs (c 7:0) bound at /dev/spec-vcs: neither a default device nor in
     * linux.devices nor /dev/net/tun (runc allows those whatever the rules say), so only the rules
     * decide; a device both this host and the cgroup v2 VM have (the VM has no loop driver).
     * Rules: deny all, allow it, then (when {@code denyLast}) deny it again.
     */
    private static void deviceRules(ObjectNode config, boolean denyLast) {
        Configs.addMount(config, "/dev/spec-vcs", "bind", "/dev/vcs", "bind");
        ArrayNode rules = resources(config).putArray("devices");
        rules.addObject().put("allow", false).put("access", "rwm");
        rules.addObject().put("allow", true).put("type", "c").put("major", 7).put("minor", 0).put("access", "rwm");
        if (denyLast) {
            rules.addObject().put("allow", false).put("type", "c").put("major", 7).put("minor", 0).put("access", "rwm");
        }
    }

    /** The host's root file system's device, major:minor (mountinfo's third field). */
    private static String rootDevice() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f[4].equals("/")) {
                return f[2];
            }
        }
        throw new AssertionError("no / in the host's mountinfo");
    }
}
