package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bundles jrun must refuse: each fails with a message naming config.json's field and the
 * cause, exits non-zero, and leaves nothing behind: no state directory, no mount, no process.
 */
class BadBundleIT {
    @TempDir
    Path tmp;
    // Unique: an id names the container's cgroup /jrun/ID, which is machine-wide, so two
    // runs of the suite at once would share it.
    private final String badId = Sandbox.uniqueId("bad");

    /** A broken bundle: the process, the edit that breaks it, and what the error must name. */
    record Case(String name, List<String> args, Consumer<ObjectNode> edit, String pointer, String cause) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("missing rootfs", List.of("true"),
                c -> ((ObjectNode) c.get("root")).put("path", "no-such-rootfs"), "/root/path", "does not exist"));
        cases.add(new Case("bind mount source missing", List.of("true"),
                c -> Configs.addMount(c, "/mnt", "bind", "/no/such/source", "rbind"), "/mounts/7/source",
                "does not exist"));
        cases.add(new Case("unknown device type", List.of("true"),
                c -> Configs.addDevice(c, "/dev/odd", "x", 1, 3), "/linux/devices/0/type",
                "is not one of c, b, u, p"));
        cases.add(new Case("sysctl outside any namespace", List.of("true"),
                c -> Configs.sysctl(c, "vm.swappiness", "10"), "/linux/sysctl/vm.swappiness", "the host"));
        cases.add(new Case("network sysctl without a network namespace", List.of("true"), c -> {
            Configs.withoutNamespace(c, "network");
            Configs.sysctl(c, "net.ipv4.ip_forward", "1");
        }, "/linux/sysctl/net.ipv4.ip_forward", "network namespace"));
        cases.add(new Case("network sysctl in the host's network namespace", List.of("true"), c -> {
            Configs.namespace(c, "network", "/proc/" + ProcessHandle.current().pid() + "/ns/net");
            Configs.sysctl(c, "net.ipv4.ip_default_ttl", "1");
        }, "/linux/sysctl/net.ipv4.ip_default_ttl", "network namespace"));
        cases.add(new Case("args[0] not in PATH", List.of("no-such-command"), c -> { }, "/process/args/0",
                "executable file not found in $PATH"));
        cases.add(new Case("args[0] path missing", List.of("/bin/no-such-file"), c -> { }, "/process/args/0",
                "no such file or directory"));
        cases.add(new Case("cwd is a file", List.of("true"),
                c -> ((ObjectNode) c.get("process")).put("cwd", "/bin/busybox"), "/process/cwd", "ENOTDIR"));
        cases.add(new Case("joined namespace missing", List.of("true"),
                c -> Configs.namespace(c, "network", "/run/netns/jrun-it-no-such-ns"), "/linux/namespaces/",
                "ENOENT"));
        cases.add(new Case("schema: hostname not a string", List.of("true"), c -> c.put("hostname", 5), "/hostname",
                "expected a string"));
        cases.add(new Case("schema: rlimit without type", List.of("true"),
                c -> ((ObjectNode) c.get("process").get("rlimits").get(0)).remove("type"), "/process/rlimits/0",
                "type"));
        return cases;
    }

    static Stream<Arguments> casesAndCommands() {
        return cases().stream().flatMap(c -> Stream.of(Arguments.of(c, "create"), Arguments.of(c, "run")));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("casesAndCommands")
    void failsNamingTheFieldAndLeavesNothingBehind(Case c, String command) throws Exception {
        Sandbox sandbox = new Sandbox(tmp);
        Path bundle = sandbox.bundle(c.args(), c.edit());
        int fdsBefore = Leftovers.openFds();

        Jrun.Result r = sandbox.jrun().run(command, "--bundle", bundle.toString(), badId);

        assertNotEquals(0, r.exit(), "jrun accepted the bundle: " + r.stdout());
        assertTrue(r.stderr().contains(c.pointer()), "the error does not name " + c.pointer() + ": " + r.stderr());
        assertTrue(r.stderr().contains(c.cause()), "the error does not say " + c.cause() + ": " + r.stderr());
        assertEquals(List.of(), Leftovers.stateEntries(sandbox.jrun().root()), "state left under --root");
        assertEquals(List.of(), Leftovers.mountsUnder(tmp), "mounts left on the host");
        assertEquals(List.of(), Leftovers.processesWithEnv(sandbox.marker()), "container processes left");
        assertEquals(List.of(), Leftovers.descendants(), "jrun processes left");
        assertEquals(fdsBefore, Leftovers.openFds(), "file descriptors leaked in the caller");
        Jrun.Result state = sandbox.jrun().run("state", badId);
        assertNotEquals(0, state.exit(), "the container exists: " + state.stdout());
    }
}
