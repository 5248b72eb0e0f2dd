package jrun.linux.seccomp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts containers/common's seccomp.json (the profile podman ships, with {@code archMap},
 * {@code includes} and {@code excludes}) into the OCI {@code linux.seccomp} that podman writes
 * into config.json, following containers/common's {@code setupSeccomp}: the native architecture
 * with its sub-architectures, and each rule kept only when its conditions on the capabilities
 * (the bounding set), the architecture and the kernel version hold.
 */
public final class PodmanSeccompProfile {
    /** Debian's golang-github-containers-common installs it here. */
    public static final Path INSTALLED = Path.of("/usr/share/containers/seccomp.json");

    private static final ObjectMapper JSON = new ObjectMapper();

    private PodmanSeccompProfile() {}

    /**
     * @param bounding the container's bounding capabilities
     * @param goArch   Go's name of the architecture ({@code amd64})
     * @param kernel   the kernel's release, e.g. {@code 6.1.0}
     */
    public static ObjectNode convert(JsonNode profile, List<String> bounding, String goArch, String kernel) {
        ObjectNode out = JSON.createObjectNode();
        out.put("defaultAction", profile.path("defaultAction").asString());
        if (profile.has("defaultErrnoRet")) {
            out.put("defaultErrnoRet", profile.get("defaultErrnoRet").asLong());
        }
        ArrayNode arches = out.putArray("architectures");
        String nativeArch = seccompArch(goArch);
        for (JsonNode m : profile.path("archMap")) {
            if (m.path("architecture").asString().equals(nativeArch)) {
                arches.add(nativeArch);
                m.path("subArchitectures").forEach(s -> arches.add(s.asString()));
            }
        }
        ArrayNode calls = out.putArray("syscalls");
        for (JsonNode rule : profile.path("syscalls")) {
            if (!applies(rule.path("includes"), rule.path("excludes"), bounding, goArch, kernel)) {
                continue;
            }
            ObjectNode c = calls.addObject();
            ArrayNode names = c.putArray("names");
            rule.path("names").forEach(n -> names.add(n.asString()));
            if (rule.hasNonNull("name")) {
                names.add(rule.get("name").asString());
            }
            c.put("action", rule.path("action").asString());
            if (rule.hasNonNull("errnoRet")) {
                c.put("errnoRet", rule.get("errnoRet").asLong());
            }
            ArrayNode args = c.putArray("args");
            for (JsonNode a : rule.path("args")) {
                ObjectNode arg = args.addObject();
                arg.put("index", a.path("index").asLong());
                arg.put("value", a.path("value").asLong());
                arg.put("valueTwo", a.path("valueTwo").asLong());
                arg.put("op", a.path("op").asString());
            }
        }
        return out;
    }

    public static ObjectNode convertInstalled(List<String> bounding) {
        try {
            JsonNode profile = JSON.readTree(Files.readString(INSTALLED));
            String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
            return convert(profile, bounding, goArch(), release);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + INSTALLED + " (install golang-github-containers-common)", e);
        }
    }

    static String goArch() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> System.getProperty("os.arch");
        };
    }

    private static String seccompArch(String goArch) {
        return switch (goArch) {
            case "amd64" -> "SCMP_ARCH_X86_64";
            case "arm64" -> "SCMP_ARCH_AARCH64";
            default -> throw new IllegalArgumentException(goArch);
        };
    }

    private static boolean applies(JsonNode includes, JsonNode excludes, List<String> bounding, String goArch,
                                   String kernel) {
        for (JsonNode cap : includes.path("caps")) {
            if (!bounding.contains(cap.asString())) {
                return false;
            }
        }
        if (includes.path("arches").size() > 0 && !contains(includes.path("arches"), goArch)) {
            return false;
        }
        if (includes.hasNonNull("minKernel") && compareVersions(kernel, includes.get("minKernel").asString()) < 0) {
            return false;
        }
        for (JsonNode cap : excludes.path("caps")) {
            if (bounding.contains(cap.asString())) {
                return false;
            }
        }
        return !contains(excludes.path("arches"), goArch);
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) {
            if (n.asString().equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** Compares dotted numeric versions ("6.1.0-13-amd64" reads as 6.1.0). */
    static int compareVersions(String a, String b) {
        List<Integer> x = numbers(a);
        List<Integer> y = numbers(b);
        for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
            int c = Integer.compare(i < x.size() ? x.get(i) : 0, i < y.size() ? y.get(i) : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static List<Integer> numbers(String version) {
        List<Integer> out = new ArrayList<>();
        for (String part : version.split("[.-]")) {
            if (!part.matches("\\d+")) {
                break;
            }
            out.add(Integer.parseInt(part));
        }
        return out;
    }
}
