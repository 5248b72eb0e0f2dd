package jrun.linux.seccomp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import jrun.it.Bundles;
import jrun.it.Jrun;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bundles for the hardening tests: the config {@code runc spec} writes (runc's defaults:
 * three capabilities, no_new_privs, read-only root, masked and read-only /proc paths), the
 * example busybox rootfs and the syscall probe in /bin/probe.
 */
public final class HardeningBundles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HardeningBundles() {}

    public static Path runcDefault(Path dir, List<String> args, Consumer<ObjectNode> edit) {
        try {
            Files.createDirectories(dir);
            Jrun.Result cp = Jrun.exec(List.of("cp", "-a", Bundles.exampleRootfs().toString(), dir.resolve("rootfs").toString()),
                    null, 60);
            if (cp.exit() != 0) {
                throw new AssertionError("cp -a failed: " + cp.stderr());
            }
            SyscallProbe.installInto(dir.resolve("rootfs"));
            Jrun.Result spec = Jrun.exec(List.of("runc", "spec"), dir, 30);
            if (spec.exit() != 0) {
                throw new AssertionError("runc spec failed: " + spec.stderr());
            }
            ObjectNode config = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
            ObjectNode process = (ObjectNode) config.get("process");
            process.put("terminal", false);
            ArrayNode a = process.putArray("args");
            args.forEach(a::add);
            edit.accept(config);
            write(dir, config);
            return dir;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public static ObjectNode config(Path bundle) {
        return (ObjectNode) JSON.readTree(bundle.resolve("config.json").toFile());
    }

    public static void write(Path bundle, ObjectNode config) {
        try {
            Files.writeString(bundle.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The process's bounding capabilities in a config. */
    public static List<String> bounding(ObjectNode config) {
        return config.path("process").path("capabilities").path("bounding").valueStream().map(n -> n.asString()).toList();
    }

    /** podman's profile, converted for this config's capabilities, as {@code linux.seccomp}. */
    public static ObjectNode withPodmanProfile(ObjectNode config) {
        ObjectNode profile = PodmanSeccompProfile.convertInstalled(bounding(config));
        ((ObjectNode) config.get("linux")).set("seccomp", profile);
        return profile;
    }

    /**
     * Adds a rule to {@code linux.seccomp.syscalls}, taking its names out of the profile's own
     * rules first (libseccomp refuses two actions for the same call and conditions).
     */
    public static void addRule(ObjectNode seccomp, String action, Long errnoRet, String... names) {
        ArrayNode calls = (ArrayNode) seccomp.get("syscalls");
        List<String> taken = List.of(names);
        for (int i = calls.size() - 1; i >= 0; i--) {
            ArrayNode existing = (ArrayNode) calls.get(i).get("names");
            for (int j = existing.size() - 1; j >= 0; j--) {
                if (taken.contains(existing.get(j).asString())) {
                    existing.remove(j);
                }
            }
            if (existing.isEmpty()) {
                calls.remove(i);
            }
        }
        ObjectNode rule = JSON.createObjectNode();
        ArrayNode n = rule.putArray("names");
        for (String name : names) {
            n.add(name);
        }
        rule.put("action", action);
        if (errnoRet != null) {
            rule.put("errnoRet", errnoRet);
        }
        calls.insert(0, rule);
    }
}
