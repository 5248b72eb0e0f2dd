package jrun.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jrun.it.Configs;
import jrun.it.ProcStatus;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** config.md: the container process (args, cwd, env, user, rlimits, capabilities, oom, scheduling) and its names. */
final class ProcessCases {
    private static final String CONFIG = "config.md";

    private ProcessCases() {}

    static List<SpecCase> cases() {
        return List.of(
                new SpecCase("process-args-execvp", CONFIG + "#process",
                        "`args` ... at least one entry is REQUIRED (non-Windows), and that entry is used with the same semantics as `execvp`'s *file*.",
                        run -> Expect.equal("found on PATH\n", run.inside("", config -> Configs.process(config).putArray("args")
                                .add("echo").add("found on PATH")), "output of args [echo, ...]")),
                new SpecCase("process-cwd", CONFIG + "#process",
                        "`cwd` (string, REQUIRED) is the working directory that will be set for the executable.",
                        run -> Expect.equal("/etc\n", run.inside("pwd", config -> Configs.process(config).put("cwd", "/etc")), "pwd")),
                new SpecCase("process-env", CONFIG + "#process",
                        "`env` (array of strings, OPTIONAL) with the same semantics as IEEE Std 1003.1-2008's `environ`.",
                        run -> Expect.equal("a b=c\n", run.inside("echo \"$SPEC_VARIABLE\"",
                                config -> Configs.addEnv(config, "SPEC_VARIABLE=a b=c")), "$SPEC_VARIABLE")),
                new SpecCase("user-uid-gid", CONFIG + "#posix-platform-user",
                        "`uid` (int, REQUIRED) specifies the user ID in the container namespace. `gid` (int, REQUIRED) specifies the group ID in the container namespace.",
                        run -> Expect.equal("1000 1001\n", run.inside("echo $(id -u) $(id -g)", config -> user(config, 1000, 1001)), "id -u, id -g")),
                new SpecCase("user-additional-gids", CONFIG + "#posix-platform-user",
                        "`additionalGids` (array of ints, OPTIONAL) specifies additional group IDs in the container namespace to be added to the process.",
                        run -> {
                            String status = run.inside("cat /proc/self/status", config -> {
                                user(config, 1000, 1001).putArray("additionalGids").add(5).add(1234);
                            });
                            Expect.equal("5 1234", ProcStatus.fields(status).get("Groups"), "Groups");
                        }),
                new SpecCase("user-umask", CONFIG + "#posix-platform-user",
                        "`umask` (int, OPTIONAL) specifies the umask of the user.",
                        run -> Expect.equal("0027\n", run.inside("umask", config -> user(config, 0, 0).put("umask", 23)), "umask")),
                new SpecCase("rlimit-nofile", CONFIG + "#posix-process",
                        "`soft` ... `rlim.rlim_cur` MUST match the configured value. `hard` ... `rlim.rlim_max` MUST match the configured value.",
                        run -> Expect.contains(run.inside("cat /proc/self/limits", config -> {
                            Configs.process(config).remove("rlimits");
                            rlimit(config, "RLIMIT_NOFILE", 512, 768);
                        }),
                                "Max open files            512                  768", "/proc/self/limits")),
                new SpecCase("rlimit-core", CONFIG + "#posix-process",
                        "For each entry in `rlimits`, a `getrlimit(3)` on `type` MUST succeed. ... `rlim.rlim_cur` MUST match the configured value.",
                        run -> Expect.contains(run.inside("cat /proc/self/limits", config -> rlimit(config, "RLIMIT_CORE", 4096, 8192)),
                                "Max core file size        4096                 8192", "/proc/self/limits")),
                new SpecCase("rlimit-unknown-type", CONFIG + "#posix-process",
                        "The runtime MUST generate an error for any values which cannot be mapped to a relevant kernel interface.",
                        run -> expectCreateError(run, config -> rlimit(config, "RLIMIT_NOT_A_LIMIT", 1, 1))),
                new SpecCase("rlimit-duplicate", CONFIG + "#posix-process",
                        "If `rlimits` contains duplicated entries with same `type`, the runtime MUST generate an error.",
                        run -> expectCreateError(run, config -> {
                            rlimit(config, "RLIMIT_NPROC", 100, 100);
                            rlimit(config, "RLIMIT_NPROC", 200, 200);
                        })),
                new SpecCase("capabilities-bounding", CONFIG + "#linux-process",
                        "`bounding` (array of strings, OPTIONAL) the `bounding` field is an array of bounding capabilities that are kept for the process.",
                        run -> {
                            List<String> caps = List.of("CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW");
                            String status = run.inside("cat /proc/self/status", config -> capabilities(config, caps, List.of(), List.of()));
                            Expect.equal(ProcStatus.capMask(caps), ProcStatus.fields(status).get("CapBnd"), "CapBnd");
                        }),
                new SpecCase("capabilities-inheritable", CONFIG + "#linux-process",
                        "`inheritable` (array of strings, OPTIONAL) the `inheritable` field is an array of inheritable capabilities that are kept for the process.",
                        run -> {
                            String status = run.inside("cat /proc/self/status", config -> capabilities(config,
                                    List.of("CAP_CHOWN", "CAP_KILL"), List.of("CAP_KILL"), List.of()));
                            Expect.equal(ProcStatus.capMask(List.of("CAP_KILL")), ProcStatus.fields(status).get("CapInh"), "CapInh");
                        }),
                new SpecCase("capabilities-ambient", CONFIG + "#linux-process",
                        "`ambient` (array of strings, OPTIONAL) the `ambient` field is an array of ambient capabilities that are kept for the process.",
                        run -> {
                            // a non-root process keeps over execve only its ambient set in its permitted and effective sets
                            String status = run.inside("cat /proc/self/status", config -> {
                                user(config, 1000, 1000);
                                capabilities(config, List.of("CAP_CHOWN", "CAP_KILL"), List.of("CAP_KILL"), List.of("CAP_KILL"));
                            });
                            Map<String, String> f = ProcStatus.fields(status);
                            String kill = ProcStatus.capMask(List.of("CAP_KILL"));
                            Expect.equal(kill, f.get("CapAmb"), "CapAmb");
                            Expect.equal(kill, f.get("CapPrm"), "CapPrm (the ambient set, over execve)");
                            Expect.equal(kill, f.get("CapEff"), "CapEff (the ambient set, over execve)");
                        }),
                new SpecCase("capabilities-unknown-warns", CONFIG + "#linux-process",
                        "Any value which cannot be mapped to a relevant kernel interface, or cannot be granted otherwise MUST be logged as a warning by the runtime. Runtimes SHOULD NOT fail if the container configuration requests capabilities that cannot be granted",
                        run -> {
                            String status = run.inside("cat /proc/self/status", config -> capabilities(config,
                                    List.of("CAP_KILL", "CAP_NOT_A_CAPABILITY"), List.of(), List.of()));
                            Expect.equal(ProcStatus.capMask(List.of("CAP_KILL")), ProcStatus.fields(status).get("CapBnd"), "CapBnd");
                        }),
                new SpecCase("no-new-privileges-true", CONFIG + "#linux-process",
                        "`noNewPrivileges` (bool, OPTIONAL) setting `noNewPrivileges` to true prevents the process from gaining additional privileges.",
                        run -> Expect.equal("1", ProcStatus.fields(run.inside("cat /proc/self/status",
                                config -> Configs.process(config).put("noNewPrivileges", true))).get("NoNewPrivs"), "NoNewPrivs")),
                new SpecCase("no-new-privileges-false", CONFIG + "#linux-process",
                        "`noNewPrivileges` (bool, OPTIONAL) setting `noNewPrivileges` to true prevents the process from gaining additional privileges.",
                        run -> Expect.equal("0", ProcStatus.fields(run.inside("cat /proc/self/status",
                                config -> Configs.process(config).put("noNewPrivileges", false))).get("NoNewPrivs"), "NoNewPrivs")),
                new SpecCase("oom-score-adj-set", CONFIG + "#linux-process",
                        "If `oomScoreAdj` is set, the runtime MUST set `oom_score_adj` to the given value.",
                        run -> Expect.equal("500\n", run.inside("cat /proc/self/oom_score_adj",
                                config -> Configs.process(config).put("oomScoreAdj", 500)), "oom_score_adj")),
                new SpecCase("oom-score-adj-unset", CONFIG + "#linux-process",
                        "If `oomScoreAdj` is not set, the runtime MUST NOT change the value of `oom_score_adj`.",
                        run -> Expect.equal(Files.readString(Path.of("/proc/self/oom_score_adj")),
                                run.inside("cat /proc/self/oom_score_adj", config -> Configs.process(config).remove("oomScoreAdj")),
                                "oom_score_adj (the runtime's own)")),
                new SpecCase("scheduler-policy-nice", CONFIG + "#linux-process",
                        "`scheduler` (object, OPTIONAL) is an object describing the scheduler properties for the process. ... `nice` (int32, OPTIONAL) is the nice value for the process",
                        run -> {
                            String[] stat = run.inside("cat /proc/self/stat", config -> Configs.process(config).putObject("scheduler")
                                    .put("policy", "SCHED_BATCH").put("nice", 7)).strip().replaceFirst("^.*\\) ", "").split(" ");
                            // after "(comm) ": field 19 (nice) is index 16, field 41 (policy) is index 38
                            Expect.equal("7", stat[16], "nice (/proc/self/stat field 19)");
                            Expect.equal("3", stat[38], "policy (/proc/self/stat field 41, SCHED_BATCH = 3)");
                        }),
                new SpecCase("io-priority", CONFIG + "#linux-process",
                        "`ioPriority` (object, OPTIONAL) configures the I/O priority settings for the container's processes within the process group.",
                        run -> Expect.equal("best-effort: prio 6\n", run.inside("ionice", config -> Configs.process(config)
                                .putObject("ioPriority").put("class", "IOPRIO_CLASS_BE").put("priority", 6)), "ionice")),
                new SpecCase("console-size-ignored", CONFIG + "#process",
                        "Runtimes MUST ignore `consoleSize` if `terminal` is `false` or unset.",
                        run -> Expect.equal("ran\n", run.inside("echo ran", config -> Configs.process(config).put("terminal", false)
                                .putObject("consoleSize").put("height", 10).put("width", 20)), "output")),
                new SpecCase("hostname", CONFIG + "#hostname",
                        "`hostname` (string, OPTIONAL) specifies the container's hostname as seen by processes running inside the container.",
                        run -> Expect.equal("spec-host\n", run.inside("hostname", config -> config.put("hostname", "spec-host")), "hostname")),
                new SpecCase("domainname", CONFIG + "#domainname",
                        "`domainname` (string, OPTIONAL) specifies the container's domainname as seen by processes running inside the container.",
                        run -> Expect.equal("spec.example\n", run.inside("cat /proc/sys/kernel/domainname",
                                config -> config.put("domainname", "spec.example")), "domainname")));
    }

    static ObjectNode user(ObjectNode config, int uid, int gid) {
        ObjectNode user = Configs.process(config).putObject("user");
        user.put("uid", uid);
        user.put("gid", gid);
        return user;
    }

    static void rlimit(ObjectNode config, String type, long soft, long hard) {
        ObjectNode process = Configs.process(config);
        ArrayNode limits = process.has("rlimits") ? (ArrayNode) process.get("rlimits") : process.putArray("rlimits");
        limits.addObject().put("type", type).put("soft", soft).put("hard", hard);
    }

    /** Bounding and permitted and effective {@code caps}; inheritable and ambient as given. */
    static void capabilities(ObjectNode config, List<String> caps, List<String> inheritable, List<String> ambient) {
        Configs.capabilities(config, caps);
        ObjectNode c = (ObjectNode) Configs.process(config).get("capabilities");
        inheritable.forEach(c.putArray("inheritable")::add);
        ambient.forEach(c.putArray("ambient")::add);
    }

    /** {@code create} of a bundle edited by {@code edit} fails and leaves no container. */
    static void expectCreateError(CaseRun run, java.util.function.Consumer<ObjectNode> edit) {
        String id = run.newId();
        Expect.error(run.tryCreate(run.bundle("true", edit), id), "create");
        Expect.error(run.runtime().run("state", id), "state after the failed create");
    }
}
