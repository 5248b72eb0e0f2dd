package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import jrun.sys.Arch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code jrun exec}: a new process in a running container, seen from inside (what it sees) and
 * from the host (where it is: the init's namespaces, root and cgroup), with exec's own process
 * settings, the container's seccomp filter, and runc's refusals.
 */
class ExecIT extends SandboxedIT {
    private static final String HOSTNAME = "exec-it-host";

    private Jrun jrun;

    @BeforeEach
    void jrunOfTheSandbox() {
        jrun = sandbox.jrun();
    }

    private static String id(String name) {
        return Sandbox.uniqueId(name);
    }

    /** A detached container running {@code sleep}; returns the init's pid. */
    private int running(String id, Consumer<ObjectNode> edit) {
        Path bundle = sandbox.bundle(List.of("sleep", "600"), c -> {
            c.put("hostname", HOSTNAME);
            edit.accept(c);
        });
        jrun.run("run", "-d", "--bundle", bundle.toString(), id).ok();
        assertEquals("running", status(id));
        return initPid(id);
    }

    private int running(String id) {
        return running(id, c -> { });
    }

    private String status(String id) {
        return Bundles.parse(jrun.run("state", id).ok().stdout()).get("status").asString();
    }

    private int initPid(String id) {
        return Bundles.parse(jrun.run("state", id).ok().stdout()).get("pid").asInt();
    }

    private Jrun.Result exec(String... args) {
        List<String> a = new ArrayList<>(List.of("exec"));
        a.addAll(List.of(args));
        return jrun.run(a.toArray(String[]::new));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    private static final List<String> CONFIG_CAPS = List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");

    @Test
    void theExecdProcessSeesOnlyTheContainersProcessesAndItsHostname() {
        String id = id("ps");
        running(id);
        List<String> ps = exec(id, "ps", "-o", "pid,args").ok().stdout().lines().skip(1).map(String::strip).toList();
        assertEquals(2, ps.size(), "the init and ps itself, nothing of the host: " + ps);
        assertEquals("1 sleep 600", ps.get(0));
        assertTrue(ps.get(1).endsWith(" ps -o pid,args"), ps.toString());
        assertNotEquals("1", ps.get(1).split(" ")[0]);

        assertEquals(HOSTNAME + "\n", exec(id, "hostname").ok().stdout());
    }

    @Test
    void theExecdProcessIsInTheInitsNamespacesRootMountsAndCgroup() throws Exception {
        String id = id("ns");
        int init = running(id);

        // what it sees: the init's mount table, from the container's root
        String[] both = exec(id, "sh", "-c", "cat /proc/self/mountinfo; echo ---; cat /proc/1/mountinfo").ok().stdout()
                .split("---\n");
        String mountinfo = both[0];
        assertEquals(both[1], mountinfo, "the exec'd process's mounts are the init's");
        assertEquals("/", mountinfo.lines().findFirst().orElseThrow().split(" ")[4], "the first mount is the root");
        // the host reads the init's table the same, but for the roots of cgroup mounts, which
        // it sees from its own cgroup namespace: mount ids, parents and mount points are compared
        assertEquals(mountPoints(Files.readString(Path.of("/proc/" + init + "/mountinfo"))), mountPoints(mountinfo));

        // where it is, seen from the host
        Path pidFile = tmp.resolve("exec.pid");
        long t0 = System.nanoTime();
        exec("-d", "--pid-file", pidFile.toString(), id, "sleep", "300").ok();
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(60), "exec -d returned");
        int pid = Integer.parseInt(Files.readString(pidFile));
        assertNotEquals(init, pid);
        assertTrue(Leftovers.isAlive(pid), "the detached process runs on after exec returned");
        assertEquals("sleep\u0000300\u0000", Files.readString(Path.of("/proc/" + pid + "/cmdline")));
        assertTrue(Leftovers.processesWithEnv(sandbox.marker()).contains(pid), "the container's environment");

        List<String> compared = new ArrayList<>();
        for (String ns : List.of("mnt", "uts", "ipc", "net", "pid", "cgroup", "user", "time")) {
            if (!Files.exists(Path.of("/proc/self/ns/" + ns))) {
                continue;
            }
            Path theirs = Path.of("/proc/" + init + "/ns/" + ns);
            Path its = Path.of("/proc/" + pid + "/ns/" + ns);
            assertEquals(Files.readSymbolicLink(theirs), Files.readSymbolicLink(its), ns + " namespace");
            compared.add(ns);
        }
        assertTrue(compared.containsAll(List.of("mnt", "uts", "ipc", "net", "pid", "user")), compared.toString());
        // the container has namespaces of its own: equal to the init's is not equal to the host's
        for (String ns : List.of("mnt", "uts", "ipc", "net", "pid")) {
            assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/" + ns)),
                    Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + ns)), ns + " is the host's");
        }
        assertTrue(Files.isSameFile(Path.of("/proc/" + init + "/root"), Path.of("/proc/" + pid + "/root")),
                "the exec'd process's root is the container's");

        List<String> initCgroup = Files.readAllLines(Path.of("/proc/" + init + "/cgroup"));
        assertEquals(initCgroup, Files.readAllLines(Path.of("/proc/" + pid + "/cgroup")), "the init's cgroups");
        assertNotEquals(Files.readAllLines(Path.of("/proc/self/cgroup")), initCgroup, "the container has a cgroup");

        // a pid in the container's pid namespace too, not 1
        String nspid = ProcStatus.fields(Files.readString(Path.of("/proc/" + pid + "/status"))).get("NSpid");
        String[] pids = nspid.split("\\s+");
        assertEquals(2, pids.length, nspid);
        assertEquals(Integer.toString(pid), pids[0]);
        assertNotEquals("1", pids[1]);

        // delete takes the exec'd process with the container
        jrun.run("delete", "-f", id).ok();
        await("the exec'd process to die with its container", () -> !Leftovers.isAlive(pid));
    }

    private static List<String> mountPoints(String mountinfo) {
        return mountinfo.lines().map(l -> {
            String[] f = l.split(" ");
            return f[0] + " " + f[1] + " " + f[4];
        }).toList();
    }

    @Test
    void theExitStatusAndOutputOfTheProcessAreExecs() {
        String id = id("status");
        running(id);
        Jrun.Result out = exec(id, "sh", "-c", "echo to-stdout; echo to-stderr >&2").ok();
        assertEquals("to-stdout\n", out.stdout());
        assertTrue(out.stderr().contains("to-stderr"), out.stderr());
        assertEquals(7, exec(id, "sh", "-c", "exit 7").exit());
        assertEquals(137, exec(id, "sh", "-c", "kill -9 $$").exit(), "128 + SIGKILL");
        assertEquals("running", status(id), "the container is unaffected");
    }

    /** runc's semantics: exec starts from the config create validated, kept in the state directory. */
    @Test
    void execStartsFromTheConfigOfCreateNotFromTheBundlesCurrentOne() throws Exception {
        String id = id("saved");
        running(id, c -> ((ObjectNode) c.get("process")).withArray("env").add("FROM_CREATE=1"));
        Path config = Path.of(Bundles.parse(jrun.run("state", id).ok().stdout()).get("bundle").asString())
                .resolve("config.json");
        Files.writeString(config, "{ not json");
        assertEquals("1\n", exec(id, "sh", "-c", "echo $FROM_CREATE").ok().stdout(),
                "a changed config.json is not read again");
        Files.delete(config);
        assertEquals("1\n", exec(id, "sh", "-c", "echo $FROM_CREATE").ok().stdout(),
                "nor needed at all");
    }

    @Test
    void envUserGroupsAndWorkingDirectoryFlagsAreTheExecdProcesss() {
        String id = id("flags");
        running(id);
        List<String> env = exec("-e", "TERM=dumb", "-e", "EXTRA=x=y", id, "env").ok().stdout().lines().toList();
        assertEquals(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root",
                "TERM=dumb", sandbox.marker(), "EXTRA=x=y"), env, "-e replaces a variable of the config's or adds one");

        String out = exec("-u", "1000:1001", "--additional-gids", "5", "--additional-gids", "2000", "--cwd", "/etc", id,
                "sh", "-c", "id; pwd; grep -E '^(Uid|Gid|Groups):' /proc/self/status").ok().stdout();
        assertEquals("""
                uid=1000 gid=1001 groups=5,2000
                /etc
                Uid:\t1000\t1000\t1000\t1000
                Gid:\t1001\t1001\t1001\t1001
                Groups:\t5 2000\s
                """, out);
        assertEquals("uid=4321 gid=0(root)\n", exec("-u", "4321", id, "id").ok().stdout(),
                "-u without a gid is gid 0");

        // the container's own process settings are untouched
        assertEquals("uid=0(root) gid=0(root)\n/\nxterm\n",
                exec(id, "sh", "-c", "id; pwd; echo $TERM").ok().stdout());
    }

    @Test
    void capAddsACapabilityToTheConfigsSets() {
        String added = "CAP_NET_RAW";
        assertTrue(Configs.hostCapabilities().contains(added), "jrun itself has " + added);
        String id = id("cap");
        running(id);
        Map<String, String> plain = ProcStatus.fields(exec(id, "cat", "/proc/self/status").ok().stdout());
        assertEquals(ProcStatus.capMask(CONFIG_CAPS), plain.get("CapEff"));
        assertEquals(ProcStatus.capMask(CONFIG_CAPS), plain.get("CapBnd"));

        Map<String, String> with = ProcStatus.fields(exec("--cap", added, id, "cat", "/proc/self/status").ok().stdout());
        List<String> more = new ArrayList<>(CONFIG_CAPS);
        more.add(added);
        assertEquals(ProcStatus.capMask(more), with.get("CapEff"));
        assertEquals(ProcStatus.capMask(more), with.get("CapPrm"));
        assertEquals(ProcStatus.capMask(more), with.get("CapBnd"));
        assertEquals("0000000000000000", with.get("CapInh"));
    }

    @Test
    void theExecdProcessGetsTheContainersSeccompFilter() {
        // EDQUOT, which mkdir on a read-only root never says by itself
        String id = id("seccomp");
        int init = running(id, c -> {
            ObjectNode seccomp = Configs.linux(c).putObject("seccomp");
            seccomp.put("defaultAction", "SCMP_ACT_ALLOW");
            ObjectNode rule = seccomp.putArray("syscalls").addObject();
            ArrayNode names = rule.putArray("names").add("mkdirat");
            if (Arch.current() == Arch.X86_64) {
                names.add("mkdir");
            }
            rule.put("action", "SCMP_ACT_ERRNO");
            rule.put("errnoRet", 122);
        });
        Jrun.Result r = exec(id, "sh", "-c", "mkdir /tmp/x; echo mkdir: $?; grep ^Seccomp /proc/self/status");
        r.ok();
        assertTrue(r.stderr().contains("Disk quota exceeded"), r.stderr());
        Map<String, String> s = ProcStatus.fields(r.stdout());
        assertEquals("1", s.get("mkdir"), r.stdout());
        assertEquals("2", s.get("Seccomp"), "filter mode");
        assertEquals("1", s.get("Seccomp_filters"), "the container's filter, once");
        assertEquals("Seccomp:\t2", grep(Path.of("/proc/" + init + "/status"), "Seccomp:"), "the init has it too");

        // Without the filter the same mkdir fails as the read-only root says.
        String plain = id("no-seccomp");
        running(plain);
        Jrun.Result unfiltered = exec(plain, "sh", "-c", "mkdir /tmp/x; grep ^Seccomp: /proc/self/status");
        assertTrue(unfiltered.stderr().contains("Read-only file system"), unfiltered.stderr());
        assertEquals("Seccomp:\t0\n", unfiltered.stdout());
    }

    private static String grep(Path file, String prefix) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aProcessJsonFileIsTheWholeProcess() throws Exception {
        String id = id("process-json");
        running(id);
        Path processJson = tmp.resolve("process.json");
        Files.writeString(processJson, """
                {
                  "terminal": false,
                  "user": {"uid": 1234, "gid": 5678},
                  "args": ["sh", "-c", "echo from-file $FOO; pwd; id -u; id -g"],
                  "env": ["PATH=/bin", "FOO=bar", "%s"],
                  "cwd": "/tmp"
                }
                """.formatted(sandbox.marker()), StandardCharsets.UTF_8);
        assertEquals("from-file bar\n/tmp\n1234\n5678\n", exec("--process", processJson.toString(), id).ok().stdout());
        assertEquals("from-file bar\n/tmp\n1234\n5678\n", exec("-p", processJson.toString(), id).ok().stdout());

        Jrun.Result both = exec("-p", processJson.toString(), id, "true");
        assertNotEquals(0, both.exit(), "a command line and a process file");
        assertTrue(both.stderr().contains("--process"), both.stderr());

        Files.writeString(processJson, "{\"args\": [\"true\"], \"cwd\": 7}");
        Jrun.Result bad = exec("-p", processJson.toString(), id);
        assertNotEquals(0, bad.exit());
        assertTrue(bad.stderr().contains(processJson.toString()), "the message names the file: " + bad.stderr());
    }

    @Test
    void execIntoAStoppedOrMissingContainerFails() throws Exception {
        String id = id("stopped");
        running(id);
        jrun.run("kill", id, "KILL").ok();
        await("the container to stop", () -> status(id).equals("stopped"));
        Jrun.Result r = exec(id, "true");
        assertNotEquals(0, r.exit());
        assertTrue(r.stderr().contains("cannot exec in a stopped container"), r.stderr());
        assertEquals("", r.stdout());

        Jrun.Result missing = exec("no-such-container", "true");
        assertNotEquals(0, missing.exit());
        assertTrue(missing.stderr().contains("does not exist"), missing.stderr());
    }

    /**
     * runc's rule: no exec into a paused container unless asked for. When asked for, the process
     * is the container's like any other: it does not run while the container is paused, and
     * runs once it is resumed (it is in the frozen cgroup before it can run any of its code).
     */
    @Test
    void aPausedContainerIsRefusedUnlessIgnorePausedIsGiven() throws Exception {
        String id = id("paused");
        int init = running(id);
        Path shm = Path.of("/proc/" + init + "/root/dev/shm");
        jrun.run("pause", id).ok();
        assertEquals("paused", status(id));
        Jrun.Result refused = exec(id, "sh", "-c", "echo ran > /dev/shm/refused");
        assertNotEquals(0, refused.exit());
        assertTrue(refused.stderr().contains("paused") && refused.stderr().contains("--ignore-paused"),
                refused.stderr());

        // detached: exec returns, the process waits for the container
        Path pidFile = tmp.resolve("paused.pid");
        exec("--ignore-paused", "-d", "--pid-file", pidFile.toString(), id, "sh", "-c",
                "echo ran > /dev/shm/detached").ok();
        int detached = Integer.parseInt(Files.readString(pidFile));
        assertEquals(Files.readAllLines(Path.of("/proc/" + init + "/cgroup")),
                Files.readAllLines(Path.of("/proc/" + detached + "/cgroup")), "in the container's cgroup");
        // in the foreground: exec waits for the process, which waits for the container
        List<String> cmd = new ArrayList<>(Jrun.launcher());
        cmd.addAll(List.of("--root", jrun.root().toString(), "exec", "--ignore-paused", id, "sh", "-c",
                "echo ran > /dev/shm/foreground; echo ran"));
        Path out = tmp.resolve("ignore-paused.out");
        Path err = tmp.resolve("ignore-paused.err");
        java.lang.Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/null"))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertFalse(p.waitFor(2, TimeUnit.SECONDS), "exec finished in a paused container: " + Files.readString(err));
            assertEquals("paused", status(id));
            try (var files = Files.list(shm)) {
                assertEquals(List.of(), files.map(f -> f.getFileName().toString()).toList(),
                        "processes ran in the paused container");
            }

            jrun.run("resume", id).ok();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "exec --ignore-paused did not finish after resume");
            assertEquals(0, p.exitValue(), Files.readString(err));
            assertEquals("ran\n", Files.readString(out));
            await("the detached process to run", () -> Files.exists(shm.resolve("detached")));
            assertTrue(Files.exists(shm.resolve("foreground")));
            assertFalse(Files.exists(shm.resolve("refused")));
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertEquals("running", status(id));
    }

    @Test
    void anUnknownExecutableFailsNamingIt() {
        String id = id("enoent");
        running(id);
        Jrun.Result r = exec(id, "no-such-program", "arg");
        assertNotEquals(0, r.exit());
        assertTrue(r.stderr().contains("no-such-program"), r.stderr());
        assertTrue(r.stderr().contains("/process/args/0"), r.stderr());
        assertEquals("running", status(id), "the container is unaffected");
        assertEquals(1, Leftovers.processesWithEnv(sandbox.marker()).size(), "only the init: " +
                Leftovers.processesWithEnv(sandbox.marker()));
    }
}
