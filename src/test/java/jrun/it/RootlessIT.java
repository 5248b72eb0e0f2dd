package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import jrun.linux.cgroups.CgroupHost;
import jrun.linux.cgroups.CgroupMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * jrun run by an ordinary user (issue 18): the test user {@value #USER} (made here if missing,
 * with {@value #SUBIDS} in /etc/subuid and /etc/subgid, the convention shared with the rootless
 * podman suite) runs bin/jrun through {@code setpriv}, with its own XDG_RUNTIME_DIR, and runc
 * 1.1.5 as the same user on the same bundles for comparison. After each test nothing of its
 * containers may be left: no state, process, cgroup or mount. Skipped, saying why, only where
 * the host forbids unprivileged user namespaces. The delegated cgroup v2 cases run in the v2 VM
 * ({@code conformance/rootless/cgroup2-delegated}).
 */
class RootlessIT {
    static final String USER = "jrunrl";
    static final String SUBIDS = "200000:65536";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUNC = "/usr/sbin/runc";

    private static long uid;
    private static long gid;
    private static long[] subuid;
    private static long[] subgid;

    private Path work;
    private Path xdg;
    private String marker;
    private final List<String> ids = new ArrayList<>();

    @BeforeAll
    static void theTestUser() throws IOException {
        Path clone = Path.of("/proc/sys/kernel/unprivileged_userns_clone");
        if (Files.exists(clone)) {
            assumeTrue(Files.readString(clone).strip().equals("1"),
                    "this host forbids unprivileged user namespaces (kernel.unprivileged_userns_clone=0)");
        }
        assumeFalse(Files.readString(Path.of("/proc/sys/user/max_user_namespaces")).strip().equals("0"),
                "this host forbids user namespaces (user.max_user_namespaces=0)");
        // Idempotent, and under a lock: the rootless podman suite makes the same user.
        sh("flock /run/jrunrl-setup.lock sh -c 'id -u " + USER + " >/dev/null 2>&1 || useradd -m -s /bin/sh " + USER
                + "; for f in /etc/subuid /etc/subgid; do grep -q \"^" + USER + ":\" $f || echo " + USER + ":"
                + SUBIDS + " >> $f; done'");
        uid = Long.parseLong(sh("id -u " + USER).strip());
        gid = Long.parseLong(sh("id -g " + USER).strip());
        subuid = range("/etc/subuid");
        subgid = range("/etc/subgid");
        Bundles.exampleRootfs();
    }

    @BeforeEach
    void workDirectory() throws IOException {
        work = Files.createTempDirectory("jrun-rootless");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        xdg = work.resolve("xdg");
        Files.createDirectory(xdg);
        Files.createDirectory(work.resolve("share"));
        sh("chown " + USER + ": " + work + " " + xdg + " " + work.resolve("share") + " && chmod 700 " + xdg);
        marker = "JRUN_ROOTLESS_IT=" + System.nanoTime();
    }

    @AfterEach
    void nothingLeft() throws IOException {
        for (String id : ids) {
            user("delete", "--force", id);
            runc("delete", "--force", id);
        }
        try {
            assertEquals(List.of(), Leftovers.stateEntries(xdg.resolve("jrun")), "jrun state left");
            assertEquals(List.of(), Leftovers.processesWithEnv(marker), "container processes left");
            assertEquals(List.of(), Leftovers.mountsUnder(work), "mounts left");
            for (String id : ids) {
                assertEquals(List.of(), cgroupsNamed(id), "cgroups left");
            }
        } finally {
            sh("rm -rf " + work);
        }
    }

    // ---- item 1: the container as the user sees it, the default root, the state's owner ----

    @Test
    void uidZeroInsideIsTheUserOutsideWithItsOwnHostnamePidOneAndProc() throws IOException {
        Path b = bundle("who", List.of("sh", "-c",
                "(id -u; id -g; hostname; echo $$; cat /proc/self/uid_map; ls /proc | grep -c '^[0-9]') > /root/out; sleep 30"),
                c -> { });
        // No --root: $XDG_RUNTIME_DIR/jrun, runc's rule.
        Jrun.Result created = Jrun.exec(asUser(List.of(launcherPath(), "create", "--bundle", b.toString(), "who")),
                null, 120);
        ids.add("who");
        assertEquals(0, created.exit(), created.stderr());
        Path state = xdg.resolve("jrun/who");
        assertTrue(Files.isDirectory(state), "no state under $XDG_RUNTIME_DIR/jrun");
        assertOwnedByUser(xdg.resolve("jrun"), "rwx------");
        assertOwnedByUser(state, "rwx--x--x");
        assertOwnedByUser(state.resolve("state.json"), "rw-------");
        assertOwnedByUser(state.resolve("exec.fifo"), "rw--w--w-");
        JsonNode saved = JSON.readTree(state.resolve("state.json").toFile());
        assertTrue(saved.get("rootless").asBoolean(), "state.json rootless: " + saved);
        int pid = JSON.readTree(user("state", "who").ok().stdout()).get("pid").asInt();
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        assertTrue(status.contains("\nUid:\t" + uid + "\t" + uid), "init's host uid: " + status);
        assertEquals("0 " + uid + " 1", Files.readString(Path.of("/proc/" + pid + "/uid_map")).strip().replaceAll("\\s+", " "));
        user("start", "who").ok();
        String out = waitForOutput(6);
        String[] lines = out.split("\n");
        assertEquals("0", lines[0], out);
        assertEquals("0", lines[1], out);
        assertEquals("runc", lines[2], out);
        assertEquals("1", lines[3], out);
        assertEquals("0 " + uid + " 1", lines[4].strip().replaceAll("\\s+", " "), out);
        // sh, its subshell, ls and grep: not the host's hundreds
        assertTrue(Integer.parseInt(lines[5].strip()) <= 5, "the container's /proc shows only its processes: " + out);
        user("kill", "who", "KILL").ok();
        waitForStatus("who", "stopped");
        user("delete", "who").ok();
    }

    @Test
    void specRootlessIsRuncs() throws IOException {
        Path mine = work.resolve("spec-jrun");
        Path runcs = work.resolve("spec-runc");
        sh("mkdir " + mine + " " + runcs + " && chown " + USER + ": " + mine + " " + runcs);
        assertEquals(0, Jrun.exec(asUser(List.of(launcherPath(), "spec", "--rootless", "--bundle", mine.toString())),
                null, 60).exit());
        assertEquals(0, Jrun.exec(asUser(List.of(RUNC, "spec", "--rootless", "--bundle", runcs.toString())),
                null, 60).exit());
        ObjectNode a = (ObjectNode) JSON.readTree(mine.resolve("config.json").toFile());
        ObjectNode r = (ObjectNode) JSON.readTree(runcs.resolve("config.json").toFile());
        a.remove("ociVersion");
        r.remove("ociVersion");
        assertEquals(r, a);
        assertEquals(uid, a.at("/linux/uidMappings/0/hostID").asLong());
    }

    // ---- item 2: every verb ----

    @Test
    void everyVerbWorksRootless() throws IOException {
        Path b = bundle("verbs", List.of("sleep", "100"), c -> { });
        user("create", "--bundle", b.toString(), "verbs").ok();
        ids.add("verbs");
        assertEquals("created", state("verbs"));
        user("start", "verbs").ok();
        assertEquals("running", state("verbs"));
        Jrun.Result exec = user("exec", "verbs", "sh", "-c", "id -u; echo $$");
        assertEquals(0, exec.exit(), exec.stderr());
        assertEquals("0", exec.stdout().split("\n")[0]);
        Jrun.Result ps = user("ps", "verbs");
        assertEquals(0, ps.exit(), ps.stderr());
        assertTrue(ps.stdout().contains("sleep 100"), ps.stdout());
        Jrun.Result list = user("list");
        assertTrue(list.stdout().contains("verbs") && list.stdout().contains(USER), list.stdout());
        Jrun.Result pause = user("pause", "verbs");
        if (CgroupHost.detect().mode() != CgroupMode.V2) {
            // No cgroup a user may create on v1: no freezer (runc: "cgroups not configured").
            assertEquals(1, pause.exit());
            assertTrue(pause.stderr().contains("has no cgroup of jrun's to freeze"), pause.stderr());
            assertEquals("running", state("verbs"));
        }
        user("kill", "verbs", "KILL").ok();
        waitForStatus("verbs", "stopped");
        user("delete", "verbs").ok();
        assertFalse(Files.exists(xdg.resolve("jrun/verbs")));
        Path r = bundle("run", List.of("sh", "-c", "exit 3"), c -> { });
        assertEquals(3, user("run", "--bundle", r.toString(), "run").exit());
    }

    @Test
    void killAllReachesEveryProcessWithoutACgroup() {
        Path b = bundle("all", List.of("sleep", "100"), c -> { });
        user("run", "--detach", "--bundle", b.toString(), "all").ok();
        ids.add("all");
        user("exec", "--detach", "all", "sleep", "99").ok();
        assertEquals(2, Leftovers.processesWithEnv(marker).size());
        user("kill", "--all", "all", "KILL").ok();
        waitForStatus("all", "stopped");
        user("delete", "all").ok();
    }

    // ---- item 3: more than the user's own id, through newuidmap/newgidmap ----

    @Test
    void subordinateRangesAreMappedThroughNewuidmap() throws IOException {
        Path b = bundle("multi", List.of("sh", "-c",
                        "touch /tmp/f && chown 1:1 /tmp/f && stat -c '%u %g' /tmp/f > /root/out; sleep 30"),
                c -> {
                    mappings(c, "uidMappings", uid, subuid);
                    mappings(c, "gidMappings", gid, subgid);
                    Configs.addMount(c, "/tmp", "tmpfs", "tmpfs", "nosuid");
                    Configs.capabilities(c, List.of("CAP_CHOWN"));
                });
        user("run", "--detach", "--bundle", b.toString(), "multi").ok();
        ids.add("multi");
        int pid = JSON.readTree(user("state", "multi").ok().stdout()).get("pid").asInt();
        String expectedUids = "0 " + uid + " 1\n1 " + subuid[0] + " " + subuid[1];
        String expectedGids = "0 " + gid + " 1\n1 " + subgid[0] + " " + subgid[1];
        assertEquals(expectedUids, normalize(Files.readString(Path.of("/proc/" + pid + "/uid_map"))));
        assertEquals(expectedGids, normalize(Files.readString(Path.of("/proc/" + pid + "/gid_map"))));
        assertEquals("1 1", waitForOutput(1));
        user("kill", "multi", "KILL").ok();
        waitForStatus("multi", "stopped");
        user("delete", "multi").ok();
    }

    // ---- bad input: a clear error naming the field, exit 1, nothing left; runc's verdict alike ----

    @Test
    void aConfigWithoutAUserNamespaceIsRefused() {
        refused("nouserns", c -> {
            Configs.withoutNamespace(c, "user");
            Configs.linux(c).remove("uidMappings");
            Configs.linux(c).remove("gidMappings");
        }, "config.json: /linux/namespaces: jrun runs as uid " + uid);
    }

    @Test
    void aMappingTheUserDoesNotOwnIsRefused() {
        refused("notmine", c -> {
            ArrayNode m = Configs.linux(c).putArray("uidMappings");
            m.addObject().put("containerID", 0).put("hostID", uid).put("size", 1);
            m.addObject().put("containerID", 1).put("hostID", 500000).put("size", 100);
        }, "config.json: /linux/uidMappings/1: host uids 500000-500099 are not this user's to map");
    }

    @Test
    void limitsWithoutADelegatedCgroupAreRefused() {
        assumeFalse(CgroupHost.detect().mode() == CgroupMode.V2, "pure v2 host: the VM case covers delegation");
        refused("limits", c -> Configs.linux(c).putObject("resources").putObject("memory").put("limit", 33554432),
                "config.json: /linux/resources/memory/limit: jrun runs rootless and cannot set this limit");
    }

    @Test
    void aMountOwnerTheNamespaceDoesNotMapIsRefused() {
        refused("gid5", c -> {
            for (JsonNode m : c.get("mounts")) {
                if (m.get("destination").asText().equals("/dev/pts")) {
                    ((ArrayNode) m.get("options")).add("gid=5");
                }
            }
        }, "config.json: /mounts/2/options/5: ", "gid 5 is not mapped in the container's user namespace");
    }

    @Test
    void withoutLimitsAndWithoutACgroupItRunsLikeRunc() {
        // Masked and read-only paths, and /dev's nodes (bound from the host's: no mknod in a user namespace).
        Path b = bundle("same", List.of("sh", "-c", "id -u; hostname; cat /proc/self/uid_map; "
                + "[ -s /proc/kcore ] && echo kcore visible || echo kcore masked; "
                + "echo 1 2>/dev/null > /proc/sys/kernel/ns_last_pid && echo /proc/sys writable || echo /proc/sys read-only; "
                + "ls -ln /dev/null /dev/zero /dev/urandom /dev/tty | awk '{print $1, $5, $6, $NF}'"), c -> { });
        Jrun.Result mine = user("run", "--bundle", b.toString(), "same");
        Jrun.Result theirs = runc("run", "--bundle", b.toString(), "same-runc");
        ids.add("same");
        ids.add("same-runc");
        assertEquals(0, mine.exit(), mine.stderr());
        assertEquals(theirs.exit(), mine.exit(), "runc: " + theirs.stderr());
        assertEquals(theirs.stdout(), mine.stdout());
        assertTrue(mine.stdout().contains("kcore masked\n/proc/sys read-only\ncrw-rw-rw- 1, 3 /dev/null"), mine.stdout());
    }

    // ---- cgroup v2, delegated: in the v2 VM ----

    @Test
    void aDelegatedCgroupV2SubtreeGetsLimitsAndTheFreezer() {
        assumeFalse(CgroupHost.detect().mode() == CgroupMode.V2,
                "this host is pure cgroup v2: run conformance/rootless/cgroup2-delegated on it as root");
        Path tool = CgroupV2IT.tool();
        assumeTrue(Files.isExecutable(tool), "no VM tool at " + tool);
        Jrun.Result r = Jrun.exec(List.of(tool.toString(), "--timeout", "1500", "--",
                Jrun.home().resolve("conformance/rootless/cgroup2-delegated").toString(),
                Jrun.home().resolve("bin/jrun").toString(), USER), Jrun.home(), 1800);
        System.out.println(r.stdout() + r.stderr());
        if (r.exit() == 125) {
            abort("the cgroup v2 VM could not run: " + r.stderr().strip());
        }
        assertFalse(r.stdout().contains("FAIL"), r.stdout());
        assertEquals(0, r.exit(), r.stdout() + r.stderr());
    }

    // ---- helpers ----

    /** Refused by jrun with {@code messages} and exit 1, nothing left; refused by runc too. */
    private void refused(String id, Consumer<ObjectNode> edit, String... messages) {
        Path b = bundle(id, List.of("true"), edit);
        ids.add(id);
        Jrun.Result mine = user("run", "--bundle", b.toString(), id);
        assertEquals(1, mine.exit(), mine.stdout() + mine.stderr());
        for (String message : messages) {
            assertTrue(mine.stderr().contains(message), "expected «" + message + "» in: " + mine.stderr());
        }
        assertEquals(List.of(), Leftovers.stateEntries(xdg.resolve("jrun")));
        assertEquals(List.of(), cgroupsNamed(id));
        Jrun.Result theirs = runc("run", "--bundle", b.toString(), id + "-runc");
        ids.add(id + "-runc");
        assertEquals(1, theirs.exit(), "runc accepted what jrun refuses: " + theirs.stdout());
        System.out.printf("%s: jrun: %s   runc: %s%n", id, mine.stderr().strip(), theirs.stderr().strip());
    }

    /** A rootless bundle: {@code jrun spec --rootless} as the user, the example rootfs, {@code args}. */
    private Path bundle(String name, List<String> args, Consumer<ObjectNode> edit) {
        Path dir = work.resolve(name);
        try {
            sh("mkdir " + dir + " && chown " + USER + ": " + dir);
            Jrun.Result spec = Jrun.exec(asUser(List.of(launcherPath(), "spec", "--rootless", "--bundle", dir.toString())),
                    null, 60);
            assertEquals(0, spec.exit(), spec.stderr());
            ObjectNode c = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
            c.putObject("root").put("path", Bundles.exampleRootfs().toString()).put("readonly", true);
            ObjectNode process = Configs.process(c);
            process.put("terminal", false);
            ArrayNode a = process.putArray("args");
            args.forEach(a::add);
            Configs.addEnv(c, marker);
            // Where a container writes what the test reads (the rootfs is read-only).
            Configs.addMount(c, "/root", "bind", work.resolve("share").toString(), "rbind", "rw");
            edit.accept(c);
            Files.writeString(dir.resolve("config.json"), JSON.writeValueAsString(c));
            sh("chown " + USER + ": " + dir.resolve("config.json"));
            return dir;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void mappings(ObjectNode c, String field, long own, long[] range) {
        ArrayNode m = Configs.linux(c).putArray(field);
        m.addObject().put("containerID", 0).put("hostID", own).put("size", 1);
        m.addObject().put("containerID", 1).put("hostID", range[0]).put("size", range[1]);
    }

    /** jrun as the user, --root under its XDG_RUNTIME_DIR. */
    private Jrun.Result user(String... args) {
        return new Jrun(asUser(List.of(launcherPath())), xdg.resolve("jrun")).run(args);
    }

    private Jrun.Result runc(String... args) {
        return new Jrun(asUser(List.of(RUNC)), work.resolve("runc-state")).run(args);
    }

    private List<String> asUser(List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + USER, "--regid=" + USER, "--init-groups",
                "env", "XDG_RUNTIME_DIR=" + xdg, "HOME=" + work, "USER=" + USER));
        cmd.addAll(command);
        return cmd;
    }

    private static String launcherPath() {
        return Jrun.home().resolve("bin/jrun").toString();
    }

    private String state(String id) {
        return JSON.readTree(user("state", id).ok().stdout()).get("status").asText();
    }

    private void waitForStatus(String id, String status) {
        for (int i = 0; i < 100 && !state(id).equals(status); i++) {
            sleep(100);
        }
        assertEquals(status, state(id));
    }

    /** What the container wrote to /root/out (work/share), once it has {@code lines} lines. */
    private String waitForOutput(int lines) throws IOException {
        Path out = work.resolve("share/out");
        for (int i = 0; i < 100; i++) {
            if (Files.exists(out) && Files.readString(out).split("\n").length >= lines && Files.readString(out).endsWith("\n")) {
                break;
            }
            sleep(100);
        }
        return Files.readString(out).strip();
    }

    private void assertOwnedByUser(Path p, String mode) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        assertEquals(USER, a.owner().getName(), p + "'s owner");
        assertEquals(mode, PosixFilePermissions.toString(a.permissions()), p + "'s mode");
    }

    /** Cgroup directories named {@code id} anywhere under /sys/fs/cgroup's jrun parents. */
    private static List<String> cgroupsNamed(String id) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : hierarchies.toList()) {
                if (Files.isDirectory(h.resolve("jrun").resolve(id))) {
                    found.add(h.resolve("jrun").resolve(id).toString());
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return found;
    }

    private static String normalize(String map) {
        return map.strip().replaceAll("[ \\t]+", " ").replaceAll("\n ", "\n");
    }

    private static long[] range(String file) throws IOException {
        for (String line : Files.readAllLines(Path.of(file))) {
            String[] f = line.split(":");
            if (f.length == 3 && (f[0].equals(USER) || f[0].equals(Long.toString(uid)))) {
                return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
            }
        }
        throw new AssertionError("no " + USER + " line in " + file);
    }

    private static String sh(String script) {
        Jrun.Result r = Jrun.exec(List.of("sh", "-c", script), null, 60);
        if (r.exit() != 0) {
            throw new AssertionError(script + ": " + r.stderr() + r.stdout());
        }
        return r.stdout();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
