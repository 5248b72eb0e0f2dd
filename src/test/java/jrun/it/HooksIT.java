package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OCI hooks through real lifecycles: each runs at its moment, in its namespace, with the state
 * on stdin; a failing or hanging hook fails its step, names itself and leaves nothing behind;
 * the networking the "build your own Docker" write-ups do by hand, done by hooks.
 */
class HooksIT {
    private static final String PATH = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";

    @TempDir
    Path tmp;
    // Unique: an id names the container's cgroup /jrun/ID, which is machine-wide, so two
    // runs of the suite at once would share it.
    private final String netId = Sandbox.uniqueId("net");
    private final String net2Id = Sandbox.uniqueId("net2");
    private final String argv0Id = Sandbox.uniqueId("argv0");
    private final String noexecId = Sandbox.uniqueId("noexec");
    private final String badId = Sandbox.uniqueId("bad");
    private final String slowId = Sandbox.uniqueId("slow");
    private final String nostartId = Sandbox.uniqueId("nostart");
    private final String noexecStartId = Sandbox.uniqueId("noexec-start");
    private final String warnId = Sandbox.uniqueId("warn");

    private final String veth = "jrh" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));

    @AfterEach
    void removeVeth() {
        Jrun.exec(List.of("ip", "link", "del", veth), null, 10);
    }

    @Test
    void createRuntimeHookGivesTheContainerANetworkThatReachesTheHost() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        // The hook is the user's code: it may use ip and nsenter as any CNI-like hook does.
        Path net = script("net.sh", """
                #!/bin/sh
                state=$(cat)
                echo "$state" > %1$s/createRuntime.json
                pid=$(echo "$state" | sed -n 's/.*"pid":\\([0-9]*\\).*/\\1/p')
                ip link add %2$s type veth peer name %2$sc || exit 1
                ip addr add 10.231.7.1/24 dev %2$s && ip link set %2$s up || exit 1
                ip link set %2$sc netns "$pid" || exit 1
                nsenter -t "$pid" -n ip link set %2$sc name eth0 || exit 1
                nsenter -t "$pid" -n ip addr add 10.231.7.2/24 dev eth0 || exit 1
                nsenter -t "$pid" -n ip link set eth0 up && nsenter -t "$pid" -n ip link set lo up
                """.formatted(out, veth));
        Path bundle = Bundles.create(tmp.resolve("b"), List.of("sh", "-c",
                "readlink /proc/self/ns/net; ip -4 addr show eth0 | grep -o '10.231.7.2/24'; "
                        + "ping -c1 -W3 10.231.7.1 >/dev/null && echo reached-host; cat /dev/shm/start-hook"), c -> {
            capabilities(c, "CAP_NET_RAW");
            ObjectNode hooks = c.putObject("hooks");
            Configs.hook(hooks, "prestart", "/bin/sh", List.of("sh", "-c", "cat > " + out + "/prestart.json"), null);
            Configs.hook(hooks, "createRuntime", net.toString(), List.of("net.sh"), PATH);
            Configs.hook(hooks, "createContainer", "/bin/sh",
                    List.of("sh", "-c", "readlink /proc/self/ns/net > " + out + "/createContainer-netns"), null);
            Configs.hook(hooks, "startContainer", "/bin/sh", List.of("sh", "-c", "cat > /dev/shm/start-hook"), null);
            Configs.hook(hooks, "poststart", "/bin/sh", List.of("sh", "-c", "cat > " + out + "/poststart.json"), null);
            Configs.hook(hooks, "poststop", "/bin/sh", List.of("sh", "-c", "cat > " + out + "/poststop.json"), null);
        });
        Jrun jrun = new Jrun(tmp.resolve("root"));
        jrun.run("create", "-b", bundle.toString(), netId).ok();
        JsonNode prestart = Bundles.parse(Files.readString(out.resolve("prestart.json")));
        assertEquals("creating", prestart.get("status").asString());
        assertEquals(netId, prestart.get("id").asString());
        assertTrue(prestart.get("pid").asInt() > 0, prestart.toString());
        assertFalse(Files.exists(out.resolve("poststart.json")), "poststart ran before start");

        jrun.run("start", netId).ok();
        JsonNode poststart = Bundles.parse(Files.readString(out.resolve("poststart.json")));
        assertEquals("running", poststart.get("status").asString());
        waitForStopped(jrun, netId);
        assertFalse(Files.exists(out.resolve("poststop.json")), "poststop ran before delete");
        jrun.run("delete", netId).ok();
        assertEquals("stopped", Bundles.parse(Files.readString(out.resolve("poststop.json"))).get("status").asString());
    }

    @Test
    void containerOutputShowsTheNetworkAndHooksInTheContainerNamespaces() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path net = script("net.sh", """
                #!/bin/sh
                pid=$(sed -n 's/.*"pid":\\([0-9]*\\).*/\\1/p')
                ip link add %1$s type veth peer name %1$sc || exit 1
                ip addr add 10.231.8.1/24 dev %1$s && ip link set %1$s up || exit 1
                ip link set %1$sc netns "$pid" || exit 1
                nsenter -t "$pid" -n ip addr add 10.231.8.2/24 dev %1$sc || exit 1
                nsenter -t "$pid" -n ip link set %1$sc up
                """.formatted(veth));
        Path bundle = Bundles.create(tmp.resolve("b"), List.of("sh", "-c",
                "readlink /proc/self/ns/net; ping -c1 -W3 10.231.8.1 >/dev/null && echo reached-host; "
                        + "cat /dev/shm/start-hook"), c -> {
            capabilities(c, "CAP_NET_RAW");
            ObjectNode hooks = c.putObject("hooks");
            Configs.hook(hooks, "createRuntime", net.toString(), List.of("net.sh"), PATH);
            Configs.hook(hooks, "createContainer", "/bin/sh",
                    List.of("sh", "-c", "readlink /proc/self/ns/net > " + out + "/createContainer-netns"), null);
            // In the container's mount namespace after pivot_root: its /dev/shm is the container's.
            Configs.hook(hooks, "startContainer", "/bin/sh", List.of("sh", "-c", "grep -o '\"status\":\"created\"' > /dev/shm/start-hook"), null);
        });
        Jrun.Result r = new Jrun(tmp.resolve("root")).run("run", "-b", bundle.toString(), net2Id).ok();
        List<String> lines = r.stdout().lines().toList();
        String containerNetns = lines.get(0);
        assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString(), containerNetns);
        assertEquals(containerNetns, Files.readString(out.resolve("createContainer-netns")).trim(),
                "createContainer ran outside the container's network namespace");
        assertTrue(lines.contains("reached-host"), r.stdout() + r.stderr());
        assertTrue(lines.contains("\"status\":\"created\""), "startContainer's output: " + r.stdout());
    }

    private static final List<String> PHASES = List.of("prestart", "createRuntime", "createContainer",
            "startContainer", "poststart", "poststop");

    @Test
    void everyPhaseGivesItsHookItsArgv0AndItsEnvironmentAsRuncDoes() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        // Each hook is busybox, which runs the applet its argv[0] names (as dockerd's prestart
        // hook, its own /proc/PID/exe, dispatches on "libnetwork-setkey"): cp, copying its own
        // argv and environment from /proc/self (busybox's own: no exec in between).
        // startContainer copies into the container's /dev/shm (after pivot_root), which the
        // container's process shows.
        Path bundle = Bundles.create(tmp.resolve("b"), List.of("cat", "/dev/shm/cmdline", "/dev/shm/environ"), c -> {
            ObjectNode hooks = c.putObject("hooks");
            for (String phase : PHASES) {
                String dir = phase.equals("startContainer") ? "/dev/shm/" : out.resolve(phase) + "/";
                ObjectNode h = Configs.hook(hooks, phase, "/bin/busybox",
                        List.of("cp", "/proc/self/cmdline", "/proc/self/environ", dir), null);
                h.putArray("env").add("PHASE=" + phase).add("DUP=1").add("OTHER=x").add("DUP=2");
            }
        });
        for (String phase : PHASES) {
            Files.createDirectories(out.resolve(phase));
        }
        Jrun.Result r = new Jrun(tmp.resolve("root")).run("run", "-b", bundle.toString(), argv0Id).ok();
        // runc 1.1.5 gives the same: Go's os/exec keeps a repeated name's last entry, where it stands.
        assertEquals("cp\0/proc/self/cmdline\0/proc/self/environ\0/dev/shm/\0"
                + "PHASE=startContainer\0OTHER=x\0DUP=2\0", r.stdout());
        for (String phase : PHASES) {
            if (!phase.equals("startContainer")) {
                Path dir = out.resolve(phase);
                assertEquals("cp\0/proc/self/cmdline\0/proc/self/environ\0" + dir + "/\0",
                        Files.readString(dir.resolve("cmdline")), phase);
                assertEquals("PHASE=" + phase + "\0OTHER=x\0DUP=2\0", Files.readString(dir.resolve("environ")), phase);
            }
        }
    }

    @Test
    void aHookThatCannotBeExecutedIsRefusedBeforeAnythingExists() throws Exception {
        String marker = "JRUN_HOOK_TEST=" + veth;
        String plain = Files.writeString(tmp.resolve("plain"), "#!/bin/sh\nexit 0\n").toString();
        String missing = tmp.resolve("missing").toString();
        String because = " (a hook's path must be an executable file)";
        // phase -> the hook's path and what jrun says after "config.json: /hooks/<phase>/0/path: "
        Map<String, List<String>> cases = Map.of(
                "prestart", List.of(plain, "\"" + plain + "\" is not executable" + because),
                "createRuntime", List.of(missing, "\"" + missing + "\" does not exist" + because),
                "createContainer", List.of(tmp.toString(), "\"" + tmp + "\" is not a regular file" + because),
                // Every phase's path must be absolute (the schema).
                "poststart", List.of("rel/hook", "\"rel/hook\" is not an absolute path (it must start with /)"));
        for (var c : cases.entrySet()) {
            Path bundle = Bundles.create(tmp.resolve("b-" + c.getKey()), List.of("sleep", "60"), config -> {
                Configs.addEnv(config, marker);
                Configs.hook(config.putObject("hooks"), c.getKey(), c.getValue().get(0), List.of("x"), null);
            });
            Jrun jrun = new Jrun(tmp.resolve("root"));
            Jrun.Result r = jrun.run("create", "-b", bundle.toString(), noexecId);
            assertEquals(1, r.exit(), r.stderr());
            // The log line is logfmt: its quotes are escaped.
            assertTrue(r.stderr().replace("\\\"", "\"").contains("config.json: /hooks/" + c.getKey() + "/0/path: "
                    + c.getValue().get(1)), r.stderr());
            assertNothingLeft(jrun, marker, bundle);
        }
    }

    @Test
    void aFailingCreateRuntimeHookFailsCreateWithItsStderrAndLeavesNothing() throws Exception {
        String marker = "JRUN_HOOK_TEST=" + veth;
        Path bundle = Bundles.create(tmp.resolve("b"), List.of("sleep", "60"), c -> {
            Configs.addEnv(c, marker);
            Configs.hook(c.putObject("hooks"), "createRuntime", "/bin/sh", List.of("sh", "-c", "echo boom-42 >&2; exit 1"), null);
        });
        Jrun jrun = new Jrun(tmp.resolve("root"));
        Jrun.Result r = jrun.run("create", "-b", bundle.toString(), badId);
        assertEquals(1, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("/hooks/createRuntime/0"), r.stderr());
        assertTrue(r.stderr().contains("boom-42"), r.stderr());
        assertTrue(r.stderr().contains("exit status 1"), r.stderr());
        assertNothingLeft(jrun, marker, bundle);
    }

    @Test
    void aHookOverItsTimeoutIsKilledAndFailsCreate() throws Exception {
        String marker = "JRUN_HOOK_TEST=" + veth;
        String seconds = Integer.toString(ThreadLocalRandom.current().nextInt(10_000, 99_999)); // identifies it
        Path bundle = Bundles.create(tmp.resolve("b"), List.of("sleep", "60"), c -> {
            Configs.addEnv(c, marker);
            ObjectNode h = Configs.hook(c.putObject("hooks"), "prestart", "/bin/sleep", List.of("sleep", seconds), null);
            h.put("timeout", 1);
        });
        Jrun jrun = new Jrun(tmp.resolve("root"));
        long start = System.nanoTime();
        Jrun.Result r = jrun.run("create", "-b", bundle.toString(), slowId);
        long took = (System.nanoTime() - start) / 1_000_000_000L;
        assertEquals(1, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("timed out after 1 s"), r.stderr());
        assertTrue(took < 20, "took " + took + " s");
        assertTrue(Jrun.exec(List.of("pgrep", "-f", "^sleep " + seconds + "$"), null, 10).stdout().isBlank(),
                "the hook survived its timeout");
        assertNothingLeft(jrun, marker, bundle);
    }

    @Test
    void aFailingStartContainerHookFailsStartAndStopsTheContainer() {
        Path bundle = Bundles.create(tmp.resolve("b"), List.of("sleep", "60"), c ->
                Configs.hook(c.putObject("hooks"), "startContainer", "/bin/sh", List.of("sh", "-c", "echo no-start >&2; exit 3"),
                        null));
        Jrun jrun = new Jrun(tmp.resolve("root"));
        jrun.run("create", "-b", bundle.toString(), nostartId).ok();
        Jrun.Result r = jrun.run("start", nostartId);
        assertEquals(1, r.exit());
        assertTrue(r.stderr().contains("/hooks/startContainer/0") && r.stderr().contains("no-start"), r.stderr());
        waitForStopped(jrun, nostartId);
        jrun.run("delete", nostartId).ok();
    }

    @Test
    void aStartContainerHookThatCannotBeExecutedFailsWithExecvesErrno() {
        // Its path resolves in the container (after pivot_root): /etc/passwd is there, not
        // executable, and args[0] names no file, as runc gives it: "fork/exec ...: permission denied".
        Path bundle = Bundles.create(tmp.resolve("b"), List.of("true"), c ->
                Configs.hook(c.putObject("hooks"), "startContainer", "/etc/passwd", List.of("passwd"), null));
        Jrun jrun = new Jrun(tmp.resolve("root"));
        jrun.run("create", "-b", bundle.toString(), noexecStartId).ok();
        Jrun.Result r = jrun.run("start", noexecStartId);
        assertEquals(1, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("/hooks/startContainer/0 (/etc/passwd) failed: cannot execute: EACCES"), r.stderr());
        waitForStopped(jrun, noexecStartId);
        jrun.run("delete", noexecStartId).ok();
    }

    @Test
    void aFailingPoststopHookOnlyWarns() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path bundle = Bundles.create(tmp.resolve("b"), List.of("true"), c -> {
            ObjectNode hooks = c.putObject("hooks");
            Configs.hook(hooks, "poststop", "/bin/sh", List.of("sh", "-c", "echo poststop-fails >&2; exit 2"), null);
            Configs.hook(hooks, "poststop", "/bin/sh", List.of("sh", "-c", "cat > " + out + "/second.json"), null);
        });
        Jrun jrun = new Jrun(tmp.resolve("root"));
        Jrun.Result r = jrun.run("run", "-b", bundle.toString(), warnId);
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("level=warning") && r.stderr().contains("poststop-fails"), r.stderr());
        assertTrue(Files.exists(out.resolve("second.json")), "the hook after the failed one did not run");
        assertEquals(List.of(), Leftovers.stateEntries(jrun.root()));
    }

    private void assertNothingLeft(Jrun jrun, String marker, Path bundle) {
        assertEquals(List.of(), Leftovers.stateEntries(jrun.root()));
        assertEquals(List.of(), Leftovers.processesWithEnv(marker));
        assertEquals(List.of(), Leftovers.mountsUnder(bundle));
    }

    private static void waitForStopped(Jrun jrun, String id) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!jrun.run("state", id).stdout().contains("\"stopped\"")) {
            assertTrue(System.nanoTime() < deadline, id + " never stopped");
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private Path script(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private static void capabilities(ObjectNode config, String cap) {
        ObjectNode caps = (ObjectNode) Configs.process(config).get("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            ((ArrayNode) caps.get(set)).add(cap);
        }
    }
}
