package jrun.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jrun.linux.Capabilities;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Edits of the example config.json tree that the integration tests and the spec suite share. */
public final class Configs {
    private Configs() {}

    public static ObjectNode process(ObjectNode config) {
        return (ObjectNode) config.get("process");
    }

    public static ObjectNode linux(ObjectNode config) {
        return (ObjectNode) config.get("linux");
    }

    /** Appends a mount; {@code options} may be empty. */
    public static void addMount(ObjectNode config, String destination, String type, String source, String... options) {
        ObjectNode m = ((ArrayNode) config.get("mounts")).addObject();
        m.put("destination", destination);
        m.put("type", type);
        m.put("source", source);
        ArrayNode o = m.putArray("options");
        for (String option : options) {
            o.add(option);
        }
    }

    public static void addEnv(ObjectNode config, String entry) {
        ((ArrayNode) process(config).get("env")).add(entry);
    }

    /** Replaces the namespace of {@code type} by one joined at {@code path} (null: a new one). */
    public static void namespace(ObjectNode config, String type, String path) {
        ArrayNode namespaces = (ArrayNode) linux(config).get("namespaces");
        namespaces.removeIf(n -> n.get("type").asString().equals(type));
        ObjectNode ns = namespaces.addObject();
        ns.put("type", type);
        if (path != null) {
            ns.put("path", path);
        }
    }

    public static void withoutNamespace(ObjectNode config, String type) {
        ((ArrayNode) linux(config).get("namespaces")).removeIf(n -> n.get("type").asString().equals(type));
    }

    public static ObjectNode addDevice(ObjectNode config, String path, String type, long major, long minor) {
        ObjectNode linux = linux(config);
        ArrayNode devices = linux.has("devices") ? (ArrayNode) linux.get("devices") : linux.putArray("devices");
        ObjectNode d = devices.addObject();
        d.put("path", path);
        d.put("type", type);
        d.put("major", major);
        d.put("minor", minor);
        return d;
    }

    public static void sysctl(ObjectNode config, String key, String value) {
        ObjectNode linux = linux(config);
        ObjectNode sysctl = linux.has("sysctl") ? (ObjectNode) linux.get("sysctl") : linux.putObject("sysctl");
        sysctl.put(key, value);
    }

    /**
     * The capabilities jrun itself has (its bounding set): a container can have no more. This
     * machine's sandbox lacks CAP_SYS_RESOURCE, so "every capability" is not something to ask for.
     */
    public static List<String> hostCapabilities() {
        try {
            String bounding = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("CapBnd:")).findFirst().orElseThrow().substring(7).strip();
            long mask = Long.parseUnsignedLong(bounding, 16);
            return Capabilities.known().stream()
                    .filter(name -> (mask & (1L << Capabilities.number(name))) != 0).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public static void capabilities(ObjectNode config, List<String> caps) {
        ObjectNode c = process(config).putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            ArrayNode a = c.putArray(set);
            caps.forEach(a::add);
        }
    }

    /** Appends a hook to {@code hooks}' list of {@code phase}; {@code env} may be null (no env). */
    public static ObjectNode hook(ObjectNode hooks, String phase, String path, List<String> args, String env) {
        ArrayNode list = hooks.has(phase) ? (ArrayNode) hooks.get(phase) : hooks.putArray(phase);
        ObjectNode h = list.addObject();
        h.put("path", path);
        ArrayNode a = h.putArray("args");
        args.forEach(a::add);
        if (env != null) {
            h.putArray("env").add(env);
        }
        return h;
    }

    /** {@code linux.seccomp}: allow everything but {@code names}, refused with ERRNO (errnoRet, or EPERM). */
    public static void refusingSeccomp(ObjectNode config, Long errnoRet, String... names) {
        ObjectNode seccomp = linux(config).putObject("seccomp");
        seccomp.put("defaultAction", "SCMP_ACT_ALLOW");
        ObjectNode rule = seccomp.putArray("syscalls").addObject();
        ArrayNode list = rule.putArray("names");
        for (String n : names) {
            list.add(n);
        }
        rule.put("action", "SCMP_ACT_ERRNO");
        if (errnoRet != null) {
            rule.put("errnoRet", errnoRet);
        }
    }
}
