package jrun.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jrun.it.Configs;
import jrun.it.Jrun;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * config-linux.md#namespaces: a new namespace of each type, each type inherited when not
 * listed, a namespace joined by path, and the errors. Namespaces are compared by their
 * /proc/PID/ns inode: the container's against the runtime's (this JVM's, whose namespaces the
 * runtime it starts shares).
 */
final class NamespaceCases {
    private static final String NAMESPACES = "config-linux.md#namespaces";
    /** The spec's namespace types and their /proc/PID/ns file names. */
    private static final Map<String, String> PROC_NAMES = Map.of("pid", "pid", "network", "net", "mount", "mnt",
            "ipc", "ipc", "uts", "uts", "cgroup", "cgroup");

    private NamespaceCases() {}

    static List<SpecCase> cases() {
        List<SpecCase> cases = new ArrayList<>();
        for (String type : List.of("pid", "network", "mount", "ipc", "uts", "cgroup")) {
            cases.add(new SpecCase("namespace-new-" + type, NAMESPACES,
                    "If `path` is not specified, the runtime MUST create a new container namespace of type `type`.",
                    run -> {
                        String inside = run.inside("readlink /proc/self/ns/" + PROC_NAMES.get(type),
                                config -> Configs.namespace(config, type, null)).strip();
                        Expect.that(!inside.equals(runtimes(type)), "the container's " + type + " namespace is the runtime's: " + inside);
                    }));
        }
        for (String type : List.of("pid", "network", "mount", "ipc", "uts", "cgroup")) {
            cases.add(new SpecCase("namespace-inherited-" + type, NAMESPACES,
                    "If a namespace type is not specified in the `namespaces` array, the container MUST inherit the runtime namespace of that type.",
                    run -> {
                        String inside = run.inside("readlink /proc/self/ns/" + PROC_NAMES.get(type),
                                config -> withoutNamespace(config, type)).strip();
                        Expect.equal(runtimes(type), inside, "the container's " + type + " namespace");
                    }));
        }
        cases.add(new SpecCase("namespace-path-joined", NAMESPACES,
                "The runtime MUST place the container process in the namespace associated with that `path`.",
                run -> {
                    String netns = run.newId();
                    Expect.ok(Jrun.exec(List.of("ip", "netns", "add", netns), null, 30), "ip netns add");
                    try {
                        String expected = Jrun.exec(List.of("ip", "netns", "exec", netns, "readlink", "/proc/self/ns/net"), null, 30)
                                .stdout().strip();
                        String inside = run.inside("readlink /proc/self/ns/net",
                                config -> Configs.namespace(config, "network", "/run/netns/" + netns)).strip();
                        Expect.equal(expected, inside, "the container's network namespace");
                    } finally {
                        Jrun.exec(List.of("ip", "netns", "del", netns), null, 30);
                    }
                }));
        cases.add(new SpecCase("namespace-path-wrong-type", NAMESPACES,
                "The runtime MUST generate an error if `path` is not associated with a namespace of type `type`.",
                run -> ProcessCases.expectCreateError(run, config -> Configs.namespace(config, "uts", "/proc/self/ns/net"))));
        cases.add(new SpecCase("namespace-duplicate", NAMESPACES,
                "If a `namespaces` field contains duplicated namespaces with same `type`, the runtime MUST generate an error.",
                run -> ProcessCases.expectCreateError(run,
                        config -> ((ArrayNode) Configs.linux(config).get("namespaces")).addObject().put("type", "ipc"))));
        cases.add(new SpecCase("namespace-user-mappings", "config-linux.md#user-namespace-mappings",
                "`uidMappings` (array of objects, OPTIONAL) describes the user namespace uid mappings from the host to the container.",
                run -> {
                    String maps = run.inside("cat /proc/self/uid_map /proc/self/gid_map", config -> {
                        Configs.namespace(config, "user", null);
                        ObjectNode linux = Configs.linux(config);
                        linux.putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
                        linux.putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
                    });
                    List<String> lines = maps.lines().map(l -> String.join(" ", l.strip().split("\\s+"))).toList();
                    Expect.equal(List.of("0 100000 65536", "0 100000 65536"), lines, "uid_map and gid_map");
                }));
        cases.add(new SpecCase("namespace-time-offsets", "config-linux.md#offset-for-time-namespace",
                "`timeOffsets` (object, OPTIONAL) sets the offset for Time Namespace.",
                run -> {
                    String offsets = run.inside("cat /proc/self/timens_offsets", config -> {
                        Configs.namespace(config, "time", null);
                        Configs.linux(config).putObject("timeOffsets").putObject("monotonic").put("secs", 172800).put("nanosecs", 0);
                    });
                    Expect.that(offsets.lines().anyMatch(l -> l.strip().split("\\s+")[0].equals("monotonic")
                            && l.strip().split("\\s+")[1].equals("172800")), "timens_offsets: " + offsets);
                }));
        return cases;
    }

    private static String runtimes(String type) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/ns/" + PROC_NAMES.get(type))).toString();
    }

    /**
     * The config without a namespace of {@code type}, and without what needs one: a hostname
     * needs a UTS namespace; without a mount namespace every mount would be the host's, so the
     * container gets only /proc (to look at itself) and no masked or read-only paths.
     */
    private static void withoutNamespace(ObjectNode config, String type) {
        Configs.withoutNamespace(config, type);
        if (type.equals("uts")) {
            config.remove("hostname");
        }
        if (type.equals("mount")) {
            ArrayNode mounts = config.putArray("mounts");
            mounts.addObject().put("destination", "/proc").put("type", "proc").put("source", "proc");
            Configs.linux(config).remove("maskedPaths");
            Configs.linux(config).remove("readonlyPaths");
        }
    }
}
