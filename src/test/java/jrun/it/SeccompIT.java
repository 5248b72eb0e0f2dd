package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jrun.linux.seccomp.HardeningBundles;
import jrun.linux.seccomp.PodmanSeccompProfile;
import jrun.linux.seccomp.SeccompAgent;
import jrun.sys.Arch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * seccomp in real containers: runc's default config with the profile podman ships, converted
 * as podman converts it, and rules for every action. The probe in the rootfs makes the calls
 * and prints the kernel's answer; x86_64 numbers.
 */
class SeccompIT {
    private static final int ADD_KEY = 248, FINIT_MODULE = 313, GETPRIORITY = 140, SETPRIORITY = 141,
            SCHED_GETPARAM = 143, SCHED_GETSCHEDULER = 145, GETPPID = 110;
    private static final String SIGSYS_STATUS = "159"; // 128 + SIGSYS, as the shell reports a process it killed

    @TempDir
    Path tmp;

    @BeforeAll
    static void requirements() {
        assumeTrue(Arch.current() == Arch.X86_64, "the probe's system call numbers are x86_64's");
        assertTrue(Files.exists(PodmanSeccompProfile.INSTALLED),
                "podman's profile is missing: apt-get install golang-github-containers-common");
    }

    private Jrun jrun() {
        return new Jrun(tmp.resolve("root"));
    }

    @Test
    void runcsDefaultConfigWithPodmansProfileGivesExactlyTheConfiguredConfinement() {
        Path bundle = HardeningBundles.runcDefault(tmp.resolve("b"),
                List.of("sh", "-c", "cat /proc/1/status; echo probe: $(probe sys " + ADD_KEY + ") $(probe sys "
                        + FINIT_MODULE + " -1 0 0)"),
                HardeningBundles::withPodmanProfile);
        ObjectNode config = HardeningBundles.config(bundle);
        Jrun.Result r = jrun().run("run", "-b", bundle.toString(), "podman-profile").ok();
        Map<String, String> s = ProcStatus.fields(r.stdout());
        List<String> effective = config.path("process").path("capabilities").path("effective").valueStream()
                .map(JsonNode::asString).toList();
        assertEquals(ProcStatus.capMask(effective), s.get("CapEff"), r.stdout());
        assertEquals("1", s.get("NoNewPrivs"));
        assertEquals("2", s.get("Seccomp"), "filter mode");
        assertEquals("1", s.get("Seccomp_filters"), "one filter: jrun's, nothing of its own JVM's");
        // add_key is not in the profile: its default, ENOSYS; finit_module is listed with EPERM
        assertTrue(r.stdout().contains("probe: ret=-1 errno=38 ret=-1 errno=1"), r.stdout());
    }

    @Test
    void withoutTheProfileTheSameCallsReachTheKernel() {
        // The errno above is the filter's: without it, add_key gets as far as the kernel's own checks.
        Path bundle = HardeningBundles.runcDefault(tmp.resolve("b"),
                List.of("sh", "-c", "grep Seccomp: /proc/1/status; probe sys " + ADD_KEY), c -> { });
        Jrun.Result r = jrun().run("run", "-b", bundle.toString(), "no-profile").ok();
        assertTrue(r.stdout().contains("Seccomp:\t0"), r.stdout());
        assertTrue(r.stdout().contains("ret=-1 errno="), r.stdout());
        assertTrue(!r.stdout().contains("errno=38"), r.stdout());
    }

    /** Every action, and the flags the kernel must accept with them. */
    @Test
    void everyActionDoesWhatItSays() {
        Path bundle = HardeningBundles.runcDefault(tmp.resolve("b"), List.of("sh", "-c",
                "probe sys " + GETPRIORITY + " 0 0; echo kill=$?; "
                        + "probe sys " + SETPRIORITY + " 0 0 0; echo kill_process=$?; "
                        + "probe sys " + SCHED_GETSCHEDULER + " 0; echo trap=$?; "
                        + "probe sys " + SCHED_GETPARAM + " 0 0; "
                        + "probe sys " + GETPPID + "; echo log=$?; "
                        + "probe sys " + ADD_KEY + "; echo errno=$?"),
                c -> {
                    ObjectNode seccomp = HardeningBundles.withPodmanProfile(c);
                    HardeningBundles.addRule(seccomp, "SCMP_ACT_KILL", null, "getpriority");
                    HardeningBundles.addRule(seccomp, "SCMP_ACT_KILL_PROCESS", null, "setpriority");
                    HardeningBundles.addRule(seccomp, "SCMP_ACT_TRAP", null, "sched_getscheduler");
                    HardeningBundles.addRule(seccomp, "SCMP_ACT_TRACE", 77L, "sched_getparam");
                    HardeningBundles.addRule(seccomp, "SCMP_ACT_LOG", null, "getppid");
                    HardeningBundles.addRule(seccomp, "SCMP_ACT_ERRNO", 61L, "add_key");
                    seccomp.putArray("flags").add("SECCOMP_FILTER_FLAG_TSYNC").add("SECCOMP_FILTER_FLAG_LOG")
                            .add("SECCOMP_FILTER_FLAG_SPEC_ALLOW");
                });
        Jrun.Result r = jrun().run("run", "-b", bundle.toString(), "actions").ok();
        List<String> lines = r.stdout().lines().toList();
        assertTrue(lines.contains("kill=" + SIGSYS_STATUS), r.stdout());
        assertTrue(lines.contains("kill_process=" + SIGSYS_STATUS), r.stdout());
        assertTrue(lines.contains("trap=" + SIGSYS_STATUS), "SIGSYS without a handler: " + r.stdout());
        assertTrue(lines.contains("ret=-1 errno=38"), "TRACE without a tracer fails with ENOSYS: " + r.stdout());
        assertTrue(r.stdout().contains("ret=1 errno=0\nlog=0"), "LOG allows (the parent is the shell, pid 1): " + r.stdout());
        assertTrue(r.stdout().contains("ret=-1 errno=61\nerrno=0"), "the rule's errnoRet: " + r.stdout());
    }

    @Test
    void aNotifyRuleDeliversTheListenerToTheAgentWhichAnswers() throws Exception {
        Path socket = tmp.resolve("agent.sock");
        int edquot = 122;
        try (SeccompAgent agent = new SeccompAgent(socket, edquot)) {
            Path bundle = HardeningBundles.runcDefault(tmp.resolve("b"),
                    List.of("sh", "-c", "mkdir /tmp/x; echo mkdir=$?; ls -d /tmp/x"),
                    c -> {
                        ObjectNode seccomp = HardeningBundles.withPodmanProfile(c);
                        HardeningBundles.addRule(seccomp, "SCMP_ACT_NOTIFY", null, "mkdir", "mkdirat");
                        seccomp.put("listenerPath", socket.toString());
                        seccomp.put("listenerMetadata", "from-the-test");
                        // TSYNC with a listener needs TSYNC_ESRCH, which jrun adds
                        seccomp.putArray("flags").add("SECCOMP_FILTER_FLAG_TSYNC")
                                .add("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
                    });
            Jrun.Result r = jrun().run("run", "-b", bundle.toString(), "notified");
            String state = agent.awaitState(10);
            assertNull(agent.failure());
            assertNotNull(state, "the agent got nothing: " + r.stderr());
            JsonNode s = Bundles.parse(state);
            assertEquals("seccompFd", s.path("fds").get(0).asString());
            assertEquals(1, agent.fdsReceived());
            assertEquals("from-the-test", s.path("metadata").asString());
            assertEquals("notified", s.path("state").path("id").asString());
            assertEquals("creating", s.path("state").path("status").asString());
            assertTrue(s.path("pid").asInt() > 0);
            // The read-only root would say EROFS; the agent's answer is what mkdir reports.
            assertTrue(r.stderr().contains("Disk quota exceeded") || r.stdout().contains("Disk quota exceeded"),
                    r.stdout() + r.stderr());
            assertTrue(r.stdout().contains("mkdir=1"), r.stdout());
            assertTrue(agent.notified().contains(83) || agent.notified().contains(258), agent.notified().toString());
        }
    }

    @Test
    void withoutNoNewPrivilegesTheFilterIsLoadedWhileInitCanStillDoSo() throws Exception {
        // Loading a filter needs CAP_SYS_ADMIN when no_new_privs is off; the container's own
        // capabilities lack it, so jrun loads the filter before it changes them.
        Path socket = tmp.resolve("agent.sock");
        try (SeccompAgent agent = new SeccompAgent(socket, 122)) {
            Path bundle = HardeningBundles.runcDefault(tmp.resolve("b"),
                    List.of("sh", "-c", "grep -E '^(NoNewPrivs|Seccomp|CapEff):' /proc/1/status; mkdir /tmp/y"),
                    c -> {
                        ((ObjectNode) c.get("process")).put("noNewPrivileges", false);
                        ObjectNode seccomp = HardeningBundles.withPodmanProfile(c);
                        HardeningBundles.addRule(seccomp, "SCMP_ACT_NOTIFY", null, "mkdir", "mkdirat");
                        seccomp.put("listenerPath", socket.toString());
                    });
            Jrun.Result r = jrun().run("run", "-b", bundle.toString(), "no-nnp");
            Map<String, String> s = ProcStatus.fields(r.stdout());
            assertEquals("0", s.get("NoNewPrivs"), r.stdout() + r.stderr());
            assertEquals("2", s.get("Seccomp"));
            assertEquals(ProcStatus.capMask(List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE")), s.get("CapEff"));
            assertTrue(r.stderr().contains("Disk quota exceeded"), r.stderr());
            assertNotNull(agent.awaitState(10));
        }
    }

    /**
     * A filter of the container's, loaded without no_new_privs (so before the user and
     * capabilities change), that refuses close_range, which older engines' default profiles
     * do not list: jrun's own fd hygiene comes before it, in create+start and in exec. runc
     * runs the same bundle.
     */
    @Test
    void withoutNoNewPrivilegesAFilterRefusingCloseRangeLeavesJrunsOwnSetUpAlone() throws Exception {
        for (Long errnoRet : new Long[] {null, 38L}) {
            String id = "no-close-range-" + errnoRet;
            Path bundle = HardeningBundles.runcDefault(tmp.resolve(id),
                    List.of("sleep", "30"), c -> {
                        ((ObjectNode) c.get("process")).put("noNewPrivileges", false);
                        Configs.refusingSeccomp(c, errnoRet, "close_range");
                    });
            Jrun jrun = jrun();
            jrun.run("create", "-b", bundle.toString(), id).ok();
            jrun.run("start", id).ok();
            int pid = Bundles.parse(jrun.run("state", id).ok().stdout()).path("pid").asInt();
            Path comm = Path.of("/proc/" + pid + "/comm");
            for (int i = 0; i < 200 && !Files.readString(comm).strip().equals("sleep"); i++) {
                Thread.sleep(50);
            }
            try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                assertEquals(List.of("0", "1", "2"), fds.map(f -> f.getFileName().toString()).sorted().toList(),
                        "the container's process has its stdio and nothing of jrun's");
            }
            Jrun.Result exec = jrun.run("exec", id, "sh", "-c", "ls /proc/$$/fd; grep -E '^(Seccomp|NoNewPrivs):' /proc/$$/status; true")
                    .ok();
            assertEquals(List.of("0", "1", "2", "NoNewPrivs:\t0", "Seccomp:\t2"), exec.stdout().lines().toList());
            // Another user: its uid and capabilities change under the filter, which allows them.
            assertEquals("1000", jrun.run("exec", "--user", "1000:1000", id, "id", "-u").ok().stdout().strip());
            jrun.run("kill", id, "KILL").ok();
            jrun.run("delete", "--force", id).ok();
            String runcId = id + "-runc";
            assertEquals(0, runc("run", "-d", "-b", bundle.toString(), runcId).exit(), "runc runs it too");
            try {
                Jrun.Result runcExec = runc("exec", runcId, "sh", "-c", "ls /proc/$$/fd; grep -E '^(Seccomp|NoNewPrivs):' /proc/$$/status; true");
                assertEquals(exec.stdout(), runcExec.stdout(), "runc's exec sees the same: " + runcExec.stderr());
            } finally {
                runc("delete", "--force", runcId);
            }
        }
    }

    /**
     * A filter that refuses a call jrun must make after loading it (the uid change, when
     * no_new_privs is off): the error says which step and that the container's filter is in
     * force there; nothing is left behind. runc fails too ("unable to setup user: operation not
     * permitted").
     */
    @Test
    void aFilterRefusingACallJrunMustMakeIsNamedInTheError() {
        Path bundle = HardeningBundles.runcDefault(tmp.resolve("b"), List.of("true"), c -> {
            ObjectNode process = (ObjectNode) c.get("process");
            process.put("noNewPrivileges", false);
            process.putObject("user").put("uid", 1000).put("gid", 1000);
            Configs.refusingSeccomp(c, null, "setresuid", "setuid");
        });
        Jrun.Result r = jrun().run("run", "-b", bundle.toString(), "no-setuid");
        assertEquals(1, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("set the user id 1000 (config.json /process/user/uid), under the container's "
                + "seccomp filter (config.json /linux/seccomp), which must allow it"), r.stderr());
        assertTrue(r.stderr().contains("EPERM"), r.stderr());
        assertTrue(jrun().run("list", "-q").stdout().isBlank(), "nothing was left behind");
        assertEquals(1, runc("run", "-b", bundle.toString(), "no-setuid-runc").exit());
    }

    /**
     * jrun itself confined by a filter without close_range (as inside a container of an older
     * engine): the init marks jrun's fds close-on-exec one by one instead, and the container
     * gets none of them (fds 5 and 1000, open without close-on-exec in jrun, among them).
     */
    @Test
    void underAFilterRefusingCloseRangeJrunStillKeepsItsFdsFromTheContainer() throws Exception {
        Path bundle = HardeningBundles.runcDefault(tmp.resolve("b"), List.of("sh", "-c", "ls /proc/1/fd; true"), c -> { });
        Path confine = tmp.resolve("confine.py");
        Files.writeString(confine, CONFINE_REFUSING_CLOSE_RANGE);
        List<String> cmd = new java.util.ArrayList<>(List.of("sh", "-c", "exec 5</dev/null; exec \"$@\"", "sh",
                "python3", confine.toString()));
        cmd.addAll(Jrun.launcher());
        cmd.addAll(List.of("--root", tmp.resolve("root").toString(), "run", "-b", bundle.toString(), "confined"));
        Jrun.Result r = Jrun.exec(cmd, null, 120).ok();
        assertEquals(List.of("0", "1", "2"), r.stdout().lines().toList(), r.stderr());
    }

    /** Loads a filter refusing close_range (EPERM) with prctl, opens fd 1000, then execs its arguments; x86_64. */
    private static final String CONFINE_REFUSING_CLOSE_RANGE = """
            import ctypes, os, struct, sys
            def ins(code, jt, jf, k):
                return struct.pack('HBBI', code, jt, jf, k)
            # ld [nr]; jeq 436 (close_range) ? next : skip one; ret ERRNO(EPERM); ret ALLOW
            prog = ins(0x20, 0, 0, 0) + ins(0x15, 0, 1, 436) + ins(0x06, 0, 0, 0x00050001) + ins(0x06, 0, 0, 0x7fff0000)
            buf = ctypes.create_string_buffer(prog, len(prog))
            class Fprog(ctypes.Structure):
                _fields_ = [('len', ctypes.c_ushort), ('filter', ctypes.c_void_p)]
            fprog = Fprog(4, ctypes.addressof(buf))
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(22, 2, ctypes.byref(fprog), 0, 0) != 0:
                sys.exit('PR_SET_SECCOMP: errno %d' % ctypes.get_errno())
            # and an fd far above jrun's own, inherited by jrun without close-on-exec
            os.dup2(os.open('/dev/null', os.O_RDONLY), 1000)
            os.execvp(sys.argv[1], sys.argv[1:])
            """;

    /** runc on the same bundle, for comparison, with its own root under the test's directory. */
    private Jrun.Result runc(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("runc", "--root", tmp.resolve("runc-root").toString()));
        cmd.addAll(List.of(args));
        return Jrun.exec(cmd, null, 60);
    }

    @Test
    void onlyStdioAndPreservedFdsReachTheContainer() {
        // "; true": the shell must not exec ls in its place, /proc/1 is the shell
        Path bundle = HardeningBundles.runcDefault(tmp.resolve("b"), List.of("sh", "-c", "ls /proc/1/fd; true"),
                HardeningBundles::withPodmanProfile);
        assertEquals(List.of("0", "1", "2"), jrun().run("run", "-b", bundle.toString(), "fds").ok().stdout().lines().toList());
        // jrun started with two extra fds (3 and 4) and --preserve-fds 2, and a third (5) that
        // is not preserved: the container's shell has 0 to 4 and nothing else.
        List<String> cmd = new java.util.ArrayList<>(List.of("sh", "-c",
                "exec 3</dev/null 4</dev/null 5</dev/null; exec \"$@\"", "sh"));
        cmd.addAll(Jrun.launcher());
        cmd.addAll(List.of("--root", tmp.resolve("root").toString(), "run", "--preserve-fds", "2", "-b",
                bundle.toString(), "preserved"));
        Jrun.Result r = Jrun.exec(cmd, null, 120).ok();
        assertEquals(List.of("0", "1", "2", "3", "4"), r.stdout().lines().toList());
    }

    @Test
    void aMalformedProfileIsRefusedWithItsPointerBeforeAnyProcessExists() {
        record Case(String what, java.util.function.Consumer<ObjectNode> breakIt, String pointer) {}
        List<Case> cases = List.of(
                new Case("unknown system call", s -> HardeningBundles.addRule(s, "SCMP_ACT_ERRNO", null, "getpid", "no_such_call"),
                        "/linux/seccomp/syscalls/0/names/1"),
                new Case("unknown action", s -> ((ObjectNode) s.get("syscalls").get(3)).put("action", "SCMP_ACT_MAYBE"),
                        "/linux/seccomp/syscalls/3/action"),
                new Case("bad architecture", s -> ((ArrayNode) s.get("architectures")).add("SCMP_ARCH_Z80"),
                        "/linux/seccomp/architectures/3"),
                new Case("seven conditions", s -> {
                    HardeningBundles.addRule(s, "SCMP_ACT_ERRNO", null, "uname");
                    ArrayNode args = ((ObjectNode) s.get("syscalls").get(0)).putArray("args");
                    for (int i = 0; i < 7; i++) {
                        args.addObject().put("index", i % 6).put("value", i).put("op", "SCMP_CMP_EQ");
                    }
                }, "/linux/seccomp/syscalls/0/args"));
        for (Case c : cases) {
            Path bundle = HardeningBundles.runcDefault(tmp.resolve(c.what().replace(' ', '-')), List.of("true"),
                    config -> c.breakIt().accept(HardeningBundles.withPodmanProfile(config)));
            Jrun.Result r = jrun().run("run", "-b", bundle.toString(), "bad");
            assertNotEquals(0, r.exit(), c.what());
            assertTrue(r.stderr().contains(c.pointer()), c.what() + ": " + r.stderr());
            assertTrue(jrun().run("list", "-q").stdout().isBlank(), "nothing was left behind");
        }
    }
}
