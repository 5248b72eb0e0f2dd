package jrun.features;

import static jrun.json.Jackson.toJsonValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jrun.base.JrunException;
import jrun.base.Version;
import jrun.hooks.HookPhase;
import jrun.linux.Capabilities;
import jrun.linux.MountOptions;
import jrun.linux.NamespaceKind;
import jrun.linux.seccomp.Libseccomp;
import jrun.linux.seccomp.SeccompArchitectures;
import jrun.linux.seccomp.SeccompCompiler;
import jrun.spec.Seccomp;
import jrun.spec.SpecReader;
import jrun.state.CliRun;
import jrun.sys.Arch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code jrun features}: the runtime-spec Features structure, run through the command line and
 * checked against features.md's fields and types, and against the code it claims to describe:
 * every name it lists is fed back to the parser that is supposed to accept it.
 */
class FeaturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path root;
    static String text;
    static JsonNode features;

    @BeforeAll
    static void runFeatures() {
        CliRun.Result r = CliRun.jrun(root, "features");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        text = r.out();
        features = JSON.readTree(text);
    }

    // ---- shape ----

    /**
     * A field's JSON type in runtime-spec's features schema (features-schema.json,
     * features-linux.json): 1.2's, with 1.3's memoryPolicy and netDevices.
     */
    private sealed interface Type {}
    private record Str() implements Type {}
    private record Strings() implements Type {}
    private record Bool() implements Type {}
    private record StringMap() implements Type {}
    private record Obj(Map<String, Type> fields) implements Type {}

    private static final Type ENABLED = new Obj(Map.of("enabled", new Bool()));
    private static final Obj SCHEMA = new Obj(Map.of(
            "ociVersionMin", new Str(),
            "ociVersionMax", new Str(),
            "hooks", new Strings(),
            "mountOptions", new Strings(),
            "annotations", new StringMap(),
            "potentiallyUnsafeConfigAnnotations", new Strings(),
            "linux", new Obj(Map.of(
                    "namespaces", new Strings(),
                    "capabilities", new Strings(),
                    "cgroup", new Obj(Map.of("v1", new Bool(), "v2", new Bool(), "systemd", new Bool(),
                            "systemdUser", new Bool(), "rdma", new Bool())),
                    "seccomp", new Obj(Map.of("enabled", new Bool(), "actions", new Strings(),
                            "operators", new Strings(), "archs", new Strings(), "knownFlags", new Strings(),
                            "supportedFlags", new Strings())),
                    "apparmor", ENABLED,
                    "selinux", ENABLED,
                    "intelRdt", ENABLED,
                    "memoryPolicy", new Obj(Map.of("modes", new Strings(), "flags", new Strings())),
                    "mountExtensions", new Obj(Map.of("idmap", ENABLED)),
                    "netDevices", ENABLED))));

    @Test
    void everyFieldIsOneTheSpecDefinesWithItsType() {
        List<String> problems = new ArrayList<>();
        check(features, SCHEMA, "", problems);
        assertEquals(List.of(), problems);
        // The two required fields (features.md), and runc's values for the rest.
        assertEquals("1.0.0", features.get("ociVersionMin").stringValue());
        assertEquals(Version.SPEC_VERSION, features.get("ociVersionMax").stringValue());
        JsonNode linux = features.get("linux");
        assertEquals(JSON.readTree("{\"v1\": true, \"v2\": true, \"systemd\": false, \"systemdUser\": false, \"rdma\": true}"),
                linux.get("cgroup"));
        assertTrue(linux.at("/seccomp/enabled").booleanValue());
        assertTrue(linux.at("/mountExtensions/idmap/enabled").booleanValue());
        assertFalse(linux.at("/intelRdt/enabled").booleanValue());
        assertTrue(linux.at("/netDevices/enabled").booleanValue());
        assertEquals(JSON.readTree("""
                {"modes": ["MPOL_BIND", "MPOL_DEFAULT", "MPOL_INTERLEAVE", "MPOL_LOCAL", "MPOL_PREFERRED",
                           "MPOL_PREFERRED_MANY", "MPOL_WEIGHTED_INTERLEAVE"],
                 "flags": ["MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES", "MPOL_F_STATIC_NODES"]}"""),
                linux.get("memoryPolicy"), "every mode and flag of runtime-spec 1.3, as SchedulingPlanner applies them, sorted as runc sorts them");
    }

    private static void check(JsonNode node, Type type, String pointer, List<String> problems) {
        switch (type) {
            case Str() -> {
                if (!node.isString() || node.stringValue().isEmpty()) {
                    problems.add(pointer + ": not a non-empty string: " + node);
                }
            }
            case Bool() -> {
                if (!node.isBoolean()) {
                    problems.add(pointer + ": not a boolean: " + node);
                }
            }
            case Strings() -> {
                // omitempty: an empty list would mean "none" where absence means "unknown".
                if (!node.isArray() || node.isEmpty()) {
                    problems.add(pointer + ": not a non-empty array: " + node);
                    return;
                }
                for (int i = 0; i < node.size(); i++) {
                    check(node.get(i), new Str(), pointer + "/" + i, problems);
                }
                if (node.valueStream().distinct().count() != node.size()) {
                    problems.add(pointer + ": lists a name twice: " + node);
                }
            }
            case StringMap() -> {
                if (!node.isObject() || node.isEmpty()) {
                    problems.add(pointer + ": not a non-empty object: " + node);
                    return;
                }
                node.properties().forEach(e -> {
                    if (!e.getValue().isString()) {
                        problems.add(pointer + "/" + e.getKey() + ": not a string: " + e.getValue());
                    }
                });
            }
            case Obj(Map<String, Type> fields) -> {
                if (!node.isObject() || node.isEmpty()) {
                    problems.add(pointer + ": not a non-empty object: " + node);
                    return;
                }
                for (Iterator<String> names = node.propertyNames().iterator(); names.hasNext(); ) {
                    String name = names.next();
                    Type t = fields.get(name);
                    if (t == null) {
                        problems.add(pointer + "/" + name + ": not a field of runtime-spec " + Version.SPEC_VERSION);
                    } else {
                        check(node.get(name), t, pointer + "/" + name, problems);
                    }
                }
            }
        }
    }

    @Test
    void printedAsRuncPrintsIt() {
        // Go's json.Encoder with SetIndent("", "    "): four spaces, ": ", one element a line,
        // a final newline; fields in the Go struct's order.
        assertTrue(text.startsWith("{\n    \"ociVersionMin\": \"1.0.0\",\n    \"ociVersionMax\": \""), text);
        assertTrue(text.contains("\n    \"hooks\": [\n        \"prestart\",\n        \"createRuntime\",\n"), text);
        assertTrue(text.contains("\n        \"cgroup\": {\n            \"v1\": true,\n"), text);
        assertTrue(text.contains("\n        \"apparmor\": {\n            \"enabled\": true\n        },\n"), text);
        assertTrue(text.endsWith("\n    }\n}\n"), text);
        assertEquals(List.of("ociVersionMin", "ociVersionMax", "hooks", "mountOptions", "linux", "annotations"),
                names(features));
        assertEquals(List.of("namespaces", "capabilities", "cgroup", "seccomp", "apparmor", "selinux", "intelRdt",
                "memoryPolicy", "mountExtensions", "netDevices"), names(features.get("linux")));
        for (String line : text.split("\n")) {
            int indent = line.length() - line.stripLeading().length();
            assertEquals(0, indent % 4, line);
            assertFalse(line.endsWith(" "), line);
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.propertyNames().forEach(out::add);
        return out;
    }

    @Test
    void refusesArguments() {
        CliRun.Result r = CliRun.jrun(root, "features", "extra");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.err().contains("too many arguments"), r.err());
    }

    // ---- the lists are the code's own ----

    @Test
    void hooksAreThePhasesJrunRuns() {
        List<String> phases = new ArrayList<>();
        for (HookPhase p : HookPhase.values()) {
            phases.add(p.specName());
        }
        assertEquals(List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"),
                phases);
        assertEquals(phases, strings(features.get("hooks")));
    }

    @Test
    void mountOptionsAreExactlyTheOnesTheParserRecognises() {
        List<String> listed = strings(features.get("mountOptions"));
        assertEquals(MountOptions.recognized(), listed);
        assertEquals(listed.stream().sorted().toList(), listed);
        for (String o : listed) {
            MountOptions parsed = MountOptions.parse(List.of(o));
            // Recognised: the parser gave it a meaning instead of passing it on as filesystem data.
            assertEquals(List.of(), parsed.data(), o);
        }
        // Filesystem data goes to the filesystem: not listed.
        for (String o : List.of("mode=755", "newinstance", "size=64k")) {
            assertEquals(List.of(o), MountOptions.parse(List.of(o)).data(), o);
            assertFalse(listed.contains(o), o);
        }
        assertTrue(listed.containsAll(List.of("ro", "rw", "bind", "rbind", "rprivate", "nosymfollow", "relatime", "rro",
                "rnosuid", "tmpcopyup", "sync", "lazytime", "idmap", "ridmap")));
    }

    @Test
    void namespacesAreNamespaceKinds() {
        List<String> listed = strings(features.at("/linux/namespaces"));
        List<String> kinds = new ArrayList<>();
        for (NamespaceKind k : NamespaceKind.values()) {
            kinds.add(k.specName());
        }
        assertEquals(kinds.stream().sorted().toList(), listed);
        for (String n : listed) {
            assertEquals(n, NamespaceKind.fromSpec(n).specName());
        }
    }

    @Test
    void capabilitiesAreEveryNameTheBuildKnowsInNumberOrder() {
        List<String> listed = strings(features.at("/linux/capabilities"));
        assertEquals(Capabilities.all(), listed);
        for (int i = 0; i < listed.size(); i++) {
            assertEquals(i, Capabilities.number(listed.get(i)), listed.get(i));
        }
    }

    @Test
    void everySeccompActionOperatorAndFlagCompiles() {
        JsonNode seccomp = features.at("/linux/seccomp");
        SeccompCompiler compiler = new SeccompCompiler(Libseccomp.load(), Set.of());
        for (String action : strings(seccomp.get("actions"))) {
            // NOTIFY needs a listener socket to hand the fd to; only the path is checked here.
            String listener = action.equals("SCMP_ACT_NOTIFY") ? ", \"listenerPath\": \"/run/agent.sock\"" : "";
            compiler.compile(seccomp("{\"defaultAction\": \"SCMP_ACT_ALLOW\"" + listener
                    + ", \"syscalls\": [{\"names\": [\"getpid\"], \"action\": \"" + action + "\"}]}"));
        }
        for (String op : strings(seccomp.get("operators"))) {
            compiler.compile(seccomp("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getpid\"], "
                    + "\"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 1, \"valueTwo\": 1, "
                    + "\"op\": \"" + op + "\"}]}]}"));
        }
        List<String> known = strings(seccomp.get("knownFlags"));
        for (String flag : known) {
            compiler.compile(seccomp("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"" + flag + "\"]}"));
        }
        assertTrue(known.containsAll(strings(seccomp.get("supportedFlags"))));
    }

    @Test
    void everySeccompArchitectureIsInTheCompilersTable() {
        SeccompCompiler compiler = new SeccompCompiler(Libseccomp.load(), Set.of());
        List<String> archs = strings(features.at("/linux/seccomp/archs"));
        assertEquals(SeccompArchitectures.SPEC_NAMES.stream().sorted().toList(), archs);
        // The native architecture always compiles.
        compiler.compile(seccomp("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\""
                + Arch.current().seccompName() + "\"]}"));
        for (String arch : archs) {
            assertTrue(SeccompArchitectures.libseccompName(arch) != null, arch);
            try {
                compiler.compile(seccomp("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"" + arch + "\"]}"));
            } catch (JrunException e) {
                // jrun took the name; the library may still lack it (older than the spec's list)
                // or refuse it next to the native one (a filter has one byte order: EDOM).
                if (!e.getMessage().contains("libseccomp")) {
                    fail(arch + ": " + e.getMessage());
                }
            }
        }
    }

    @Test
    void annotationsNameThisBuild() {
        JsonNode a = features.get("annotations");
        assertEquals(Version.VERSION, a.get(Features.VERSION_ANNOTATION).stringValue());
        assertEquals("false", a.get(Features.CHECKPOINT_ANNOTATION).stringValue());
        assertEquals(Libseccomp.load().version(), a.get(Features.LIBSECCOMP_ANNOTATION).stringValue());
        assertEquals(names(a).stream().sorted().toList(), names(a));
    }

    private static Seccomp seccomp(String json) {
        ObjectNode config = JSON.createObjectNode();
        config.put("ociVersion", Version.SPEC_VERSION);
        config.putObject("linux").set("seccomp", JSON.readTree(json));
        return SpecReader.read(toJsonValue(config)).linux().seccomp();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.stringValue()));
        return out;
    }
}
