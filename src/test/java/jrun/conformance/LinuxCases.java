package jrun.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import jrun.it.Configs;
import jrun.it.Jrun;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** config-linux.md: sysctl, seccomp, personality, intelRdt, netDevices, memoryPolicy. */
final class LinuxCases {
    private static final String SECCOMP = "config-linux.md#seccomp";

    private LinuxCases() {}

    static List<SpecCase> cases() {
        return List.of(
                new SpecCase("sysctl-net", "config-linux.md#sysctl",
                        "`sysctl` (object, OPTIONAL) allows kernel parameters to be modified at runtime for the container.",
                        run -> Expect.equal("1\n", run.inside("cat /proc/sys/net/ipv4/ip_forward",
                                config -> Configs.sysctl(config, "net.ipv4.ip_forward", "1")), "net.ipv4.ip_forward")),
                new SpecCase("sysctl-ipc", "config-linux.md#sysctl",
                        "`sysctl` (object, OPTIONAL) allows kernel parameters to be modified at runtime for the container.",
                        run -> Expect.equal("4321\n", run.inside("cat /proc/sys/kernel/msgmax",
                                config -> Configs.sysctl(config, "kernel.msgmax", "4321")), "kernel.msgmax")),
                new SpecCase("seccomp-errno", SECCOMP,
                        "`action` *(string, REQUIRED)* - the action for seccomp rules. ... `errnoRet` *(uint, OPTIONAL)* - the errno return code to use.",
                        run -> Expect.contains(run.inside("mkdir /dev/shm/d 2>&1; echo done", config -> Configs.refusingSeccomp(config, 1L, "mkdir", "mkdirat")),
                                "Operation not permitted", "mkdir under a filter returning EPERM")),
                new SpecCase("seccomp-errno-ret", SECCOMP,
                        "`errnoRet` *(uint, OPTIONAL)* - the errno return code to use. Some actions like `SCMP_ACT_ERRNO` and `SCMP_ACT_TRACE` allow to specify the errno code to return.",
                        run -> Expect.contains(run.inside("mkdir /dev/shm/d 2>&1; echo done", config -> Configs.refusingSeccomp(config, 38L, "mkdir", "mkdirat")),
                                "Function not implemented", "mkdir under a filter returning ENOSYS")),
                new SpecCase("seccomp-without-no-new-privileges", SECCOMP,
                        "Seccomp configuration allows one to configure actions to take for matched syscalls (here: close_range denied, noNewPrivileges false; the filter is the container process's, not the runtime's set-up's)",
                        run -> Expect.contains(run.inside("mkdir /dev/shm/d 2>&1; echo done", config -> {
                            Configs.process(config).put("noNewPrivileges", false);
                            Configs.refusingSeccomp(config, 1L, "mkdir", "mkdirat", "close_range");
                        }), "Operation not permitted", "mkdir under the filter")),
                new SpecCase("seccomp-errno-on-kill-action", SECCOMP,
                        "When the action doesn't support an errno, the runtime MUST print and error and fail.",
                        run -> ProcessCases.expectCreateError(run, config -> {
                            Configs.refusingSeccomp(config, 1L, "mkdir");
                            ((ObjectNode) ((ArrayNode) Configs.linux(config).get("seccomp").get("syscalls")).get(0))
                                    .put("action", "SCMP_ACT_KILL");
                        })),
                new SpecCase("personality-linux32", "config-linux.md#personality",
                        "`LINUX32` will set the `uname` system call to show a 32 bit CPU type, such as `i686`.",
                        run -> Expect.equal("i686\n", run.inside("uname -m",
                                config -> Configs.linux(config).putObject("personality").put("domain", "LINUX32")), "uname -m")),
                new SpecCase("intel-rdt-without-resctrl", "config-linux.md#intelrdt",
                        "If no mounted `resctrl` pseudo-filesystem is available in the runtime mount namespace, the runtime MUST generate an error.",
                        run -> {
                            Expect.that(!Files.readString(Path.of("/proc/self/mountinfo")).contains(" resctrl "),
                                    "this host has resctrl mounted: the case needs a host without");
                            ProcessCases.expectCreateError(run, config -> Configs.linux(config).putObject("intelRdt").put("closID", "spec"));
                        }),
                new SpecCase("net-device-moved-and-up", "config-linux.md#network-devices",
                        "`netDevices` (object, OPTIONAL) - A set of network devices that MUST be made available in the container. ... The runtime MUST set the network device state to \"up\" after moving it to the container namespace.",
                        run -> withVeth(host -> {
                            String out = run.inside("ip -o link show spec0", config -> Configs.linux(config)
                                    .putObject("netDevices").putObject(host).put("name", "spec0"));
                            Expect.contains(out, "spec0", "ip link in the container");
                            Expect.that(out.matches("(?s).*<[^>]*\\bUP\\b[^>]*>.*"), "spec0 is not up: " + out);
                        })),
                new SpecCase("net-device-name-taken", "config-linux.md#network-devices",
                        "The runtime MUST check if moving the network interface to the container namespace is possible. If a network device with the specified name already exists in the container namespace, the runtime MUST generate an error",
                        run -> withVeth(host -> ProcessCases.expectCreateError(run, config -> Configs.linux(config)
                                .putObject("netDevices").putObject(host).put("name", "lo")))),
                new SpecCase("memory-policy", "config-linux.md#memory-policy",
                        "`memoryPolicy` (object, OPTIONAL) sets the NUMA memory policy for the container.",
                        run -> Expect.contains(run.inside(run.bundleWithProbe("probe mempolicy", config -> Configs.linux(config)
                                .putObject("memoryPolicy").put("mode", "MPOL_BIND").put("nodes", "0"))),
                                "mode=2 nodes=1", "get_mempolicy (MPOL_BIND = 2, node 0)")));
    }

    /** A check given the name of a host network interface it may move. */
    @FunctionalInterface
    private interface WithInterface {
        void run(String name) throws Exception;
    }

    /** Runs {@code check} with one end of a new veth pair on the host, removing the pair after. */
    private static void withVeth(WithInterface check) throws Exception {
        String host = "spd" + UUID.randomUUID().toString().substring(0, 8);
        Expect.ok(Jrun.exec(List.of("ip", "link", "add", host, "type", "veth", "peer", "name", host + "p"), null, 30),
                "ip link add veth");
        try {
            check.run(host);
        } finally {
            // deleting the peer left on the host deletes the pair wherever the other end is
            Jrun.exec(List.of("ip", "link", "del", host + "p"), null, 30);
        }
    }
}
