package jrun.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jrun.spec.Hook;
import jrun.spec.Hooks;
import jrun.state.ContainerStatus;
import jrun.state.OciState;
import jrun.state.ProcStat;
import jrun.state.StateJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real hooks (small /bin/sh scripts) run by the runtime-namespace runner. */
class HookRunnerTest {
    @TempDir
    Path dir;

    final HookRunner runner = HookRunner.inRuntimeNamespace();
    final List<Integer> pidsToKill = new ArrayList<>();

    static final byte[] STATE = StateJson.toPrettyJson(new OciState("1.2.0", "c1", 4242, ContainerStatus.CREATING,
            "/bundles/c1", "/bundles/c1/rootfs", Instant.parse("2024-01-02T03:04:05Z"), Map.of("a", "b"), ""))
            .getBytes(StandardCharsets.UTF_8);

    @AfterEach
    void killLeftovers() {
        pidsToKill.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    /** An executable /bin/sh script named {@code name} in the test's directory. */
    private String script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p.toString();
    }

    private static Hook hook(String path, List<String> args, List<String> env, Long timeout) {
        return new Hook(path, args, env, timeout, Map.of());
    }

    private static Hook hook(String path, String... args) {
        return hook(path, List.of(args), null, null);
    }

    private String read(String name) throws Exception {
        return Files.readString(dir.resolve(name));
    }

    private static boolean gone(int pid) {
        ProcStat s = ProcStat.read(pid);
        return s == null || s.isZombie();
    }

    @Test
    void theStateJsonArrivesOnStdin() throws Exception {
        String h = script("h", "/bin/cat > \"$1\"");
        runner.run(HookPhase.PRESTART, List.of(hook(h, h, dir.resolve("stdin").toString())), STATE);
        String got = read("stdin");
        assertEquals(new String(STATE, StandardCharsets.UTF_8), got);
        assertTrue(got.contains("\"id\": \"c1\"") && got.contains("\"pid\": 4242"), got);
    }

    @Test
    void theArgsAreTheArgvArgv0Included() throws Exception {
        // sh -c: $0 is the argv entry after the command string, so it shows what sh got.
        String out = dir.resolve("args").toString();
        runner.run(HookPhase.CREATE_RUNTIME, List.of(hook("/bin/sh", "not-sh", "-c",
                "{ cat /proc/$$/cmdline | tr '\\0' '\\n'; for a in \"$@\"; do echo \"[$a]\"; done; } > " + out,
                "zero", "a", "b c", "")), STATE);
        assertEquals("not-sh\n-c\n" + "{ cat /proc/$$/cmdline | tr '\\0' '\\n'; for a in \"$@\"; do echo \"[$a]\"; done; } > "
                + out + "\nzero\na\nb c\n\n[a]\n[b c]\n[]\n", read("args"));
    }

    @Test
    void aMultiCallBinaryDispatchesOnArgv0() throws Exception {
        // busybox runs the applet argv[0] names, as dockerd's prestart hook (its own
        // /proc/PID/exe) dispatches on "libnetwork-setkey".
        String out = dir.resolve("echoed").toString();
        runner.run(HookPhase.PRESTART, List.of(hook("/bin/busybox", "sh", "-c", "echo \"$0\" > " + out, "zero")),
                STATE);
        assertEquals("zero\n", read("echoed"));
    }

    @Test
    void emptyArgsRunThePathAlone() throws Exception {
        String out = dir.resolve("ran").toString();
        String h = script("h", "echo \"$# $0\" > " + out);
        runner.run(HookPhase.POSTSTART, List.of(hook(h)), STATE);
        assertEquals("0 " + h + "\n", read("ran"));
    }

    /** The environment's entries, without those a shell sets itself. */
    private Set<String> env(String file) throws Exception {
        return read(file).lines()
                .filter(l -> !l.startsWith("PWD=") && !l.startsWith("OLDPWD=") && !l.startsWith("SHLVL=")
                        && !l.startsWith("_="))
                .collect(Collectors.toSet());
    }

    @Test
    void theEnvironmentIsExactlyTheHooks() throws Exception {
        String h = script("h", "/usr/bin/env > \"$1\"");
        runner.run(HookPhase.PRESTART,
                List.of(hook(h, List.of(h, dir.resolve("env").toString()), List.of("FOO=bar", "EMPTY=", "X=a=b"), null)),
                STATE);
        assertEquals(Set.of("FOO=bar", "EMPTY=", "X=a=b"), env("env"));
    }

    /** What the hook's process was given, in order: its /proc/self/environ, read by itself. */
    private List<String> environ(List<String> env) throws Exception {
        String out = dir.resolve("environ").toString();
        runner.run(HookPhase.PRESTART, List.of(hook("/bin/busybox", List.of("cp", "/proc/self/environ", out), env, null)),
                STATE);
        return List.of(read("environ").split("\0"));
    }

    @Test
    void theEnvironmentIsPassedAsRuncPassesIt() throws Exception {
        // runc 1.1.5 on the same hook: B=2 A=3 NOEQ C=x (Go's os/exec keeps a repeated name's
        // last entry, where it stands, drops empty ones and passes one without '=' as it is).
        assertEquals(List.of("B=2", "A=3", "NOEQ", "C=x"), environ(List.of("A=1", "B=2", "A=3", "NOEQ", "", "C=x")));
        assertEquals(List.of("Z=1", "A=2", "M=3"), environ(List.of("Z=1", "A=2", "M=3")));
    }

    @Test
    void environmentFollowsGosRules() {
        assertEquals(List.of("B=2", "A=3", "NOEQ", "C=x"),
                HookRunner.environment(List.of("A=1", "B=2", "A=3", "NOEQ", "", "C=x")));
        assertEquals(List.of("NOEQ", "NOEQ", "A="), HookRunner.environment(List.of("NOEQ", "A=1", "NOEQ", "A=")));
        assertEquals(List.of(), HookRunner.environment(List.of()));
    }

    @Test
    void noEnvMeansAnEmptyEnvironmentNotJruns() throws Exception {
        assertTrue(System.getenv().containsKey("PATH"), "the test needs a PATH to not pass on");
        String h = script("h", "/usr/bin/env > \"$1\"");
        runner.run(HookPhase.PRESTART, List.of(hook(h, h, dir.resolve("env").toString())), STATE);
        assertEquals(Set.of(), env("env"));
    }

    @Test
    void aNonzeroExitFailsWithThePointerPathAndStderr() throws Exception {
        String ok = script("ok", "exit 0");
        String bad = script("bad", "echo 'some progress'; echo '  it broke  ' >&2; exit 3");
        HookFailedException e = assertThrows(HookFailedException.class,
                () -> runner.run(HookPhase.CREATE_RUNTIME, List.of(hook(ok), hook(bad)), STATE));
        assertEquals("createRuntime hook config.json /hooks/createRuntime/1 (" + bad + ") failed: exit status 3; "
                + "stderr: it broke", e.getMessage());
        assertEquals(HookPhase.CREATE_RUNTIME, e.phase());
        assertEquals(1, e.index());
    }

    @Test
    void stdoutExplainsAFailureWhenStderrIsEmpty() throws Exception {
        String bad = script("bad", "echo 'said on stdout'; exit 1");
        HookFailedException e = assertThrows(HookFailedException.class,
                () -> runner.run(HookPhase.PRESTART, List.of(hook(bad)), STATE));
        assertTrue(e.getMessage().endsWith("failed: exit status 1; stdout: said on stdout"), e.getMessage());
    }

    @Test
    void aSignalFails() throws Exception {
        String h = script("h", "kill -9 $$");
        HookFailedException e = assertThrows(HookFailedException.class,
                () -> runner.run(HookPhase.POSTSTART, List.of(hook(h)), STATE));
        assertTrue(e.getMessage().endsWith("(" + h + ") failed: killed by signal 9 (SIGKILL)"), e.getMessage());
    }

    @Test
    void anExitStatusAbove128IsNotASignal() throws Exception {
        String h = script("h", "exit 137");
        HookFailedException e = assertThrows(HookFailedException.class,
                () -> runner.run(HookPhase.POSTSTART, List.of(hook(h)), STATE));
        assertTrue(e.getMessage().endsWith("(" + h + ") failed: exit status 137"), e.getMessage());
    }

    @Test
    void aTimeoutKillsTheHookAndWhatItStarted() throws Exception {
        String pids = dir.resolve("pids").toString();
        // sleep in the background, so that it is a child of the hook and not the hook itself.
        String h = script("h", "/bin/sleep 30 & echo $$ $! > " + pids + "; echo waiting >&2; wait");
        long t0 = System.nanoTime();
        HookFailedException e = assertThrows(HookFailedException.class,
                () -> runner.run(HookPhase.PRESTART, List.of(hook(h, List.of(), null, 1L)), STATE));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertEquals("prestart hook config.json /hooks/prestart/0 (" + h + ") failed: timed out after 1 s; "
                + "stderr: waiting", e.getMessage());
        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "took " + took);
        int[] both = Arrays.stream(read("pids").strip().split(" ")).mapToInt(Integer::parseInt).toArray();
        for (int pid : both) {
            pidsToKill.add(pid);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while ((!gone(both[0]) || !gone(both[1])) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(gone(both[0]), "the hook " + both[0] + " is still running");
        assertTrue(gone(both[1]), "its sleep " + both[1] + " is still running");
    }

    @Test
    void aHookWithinItsTimeoutSucceeds() throws Exception {
        // It sleeps a little first: a runner that did not wait for it, or killed it early, would
        // return before the marker exists.
        String h = script("h", "/bin/sleep 0.2; echo done > " + dir.resolve("done"));
        runner.run(HookPhase.PRESTART, List.of(hook(h, List.of(), null, 10L)), STATE);
        assertEquals("done\n", read("done"));
    }

    @Test
    void aBackgroundProgramHoldingTheOutputDoesNotHangTheRunner() throws Exception {
        String pid = dir.resolve("pid").toString();
        String h = script("h", "/bin/sleep 30 & echo $! > " + pid + "; exit 0");
        long t0 = System.nanoTime();
        runner.run(HookPhase.POSTSTART, List.of(hook(h)), STATE);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        pidsToKill.add(Integer.parseInt(read("pid").strip()));
        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "took " + took);
    }

    @Test
    void aHookThatDoesNotReadStdinSucceeds() throws Exception {
        // The state is larger than a pipe holds: writing it to a hook that exits unread gets
        // EPIPE, which must fail neither that hook nor stop the next one.
        String h = script("h", "echo ran >> " + dir.resolve("log"));
        byte[] big = new byte[4 << 20];
        Arrays.fill(big, (byte) 'x');
        runner.run(HookPhase.PRESTART, List.of(hook(h), hook(h)), big);
        assertEquals("ran\nran\n", read("log"));
    }

    @Test
    void stderrIsBoundedToItsEnd() throws Exception {
        String h = script("h", "/usr/bin/yes 0123456789 | /usr/bin/head -c 300000 >&2; echo THE END >&2; exit 1");
        HookFailedException e = assertThrows(HookFailedException.class,
                () -> runner.run(HookPhase.PRESTART, List.of(hook(h)), STATE));
        String m = e.getMessage();
        assertTrue(m.endsWith("THE END"), m.substring(m.length() - 100));
        assertTrue(m.contains("; stderr: ..."), m.substring(0, 200));
        assertTrue(m.length() < HookRunner.OUTPUT_LIMIT + 300, "length " + m.length());
    }

    @Test
    void aMissingProgramCannotBeExecuted() {
        String h = dir.resolve("nope").toString();
        HookFailedException e = assertThrows(HookFailedException.class,
                () -> runner.run(HookPhase.POSTSTOP, List.of(hook(h)), STATE));
        assertEquals("poststop hook config.json /hooks/poststop/0 (" + h + ") failed: cannot execute: "
                + "ENOENT (No such file or directory)", e.getMessage());
    }

    @Test
    void aNonExecutableFileCannotBeExecuted() throws Exception {
        Path p = dir.resolve("plain");
        Files.writeString(p, "#!/bin/sh\nexit 0\n");
        HookFailedException e = assertThrows(HookFailedException.class,
                () -> runner.run(HookPhase.PRESTART, List.of(hook(p.toString())), STATE));
        assertTrue(e.getMessage().endsWith("failed: cannot execute: EACCES (Permission denied)"), e.getMessage());
    }

    @Test
    void aFileInNoExecutableFormatIsNotRunByASh() throws Exception {
        // runc: "fork/exec ...: exec format error"; execvp(3) and the JDK would run it with /bin/sh.
        String marker = dir.resolve("ran").toString();
        Path p = dir.resolve("script-without-shebang");
        Files.writeString(p, "echo ran > " + marker + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        HookFailedException e = assertThrows(HookFailedException.class,
                () -> runner.run(HookPhase.PRESTART, List.of(hook(p.toString())), STATE));
        assertTrue(e.getMessage().endsWith("failed: cannot execute: ENOEXEC (Exec format error)"), e.getMessage());
        assertFalse(Files.exists(Path.of(marker)), "a shell ran it");
    }

    @Test
    void aDirectoryCannotBeExecuted() {
        HookFailedException e = assertThrows(HookFailedException.class,
                () -> runner.run(HookPhase.PRESTART, List.of(hook(dir.toString())), STATE));
        assertTrue(e.getMessage().endsWith("failed: cannot execute: EACCES (Permission denied)"), e.getMessage());
    }

    @Test
    void theHookGetsNoOtherFdAndNoBlockedOrIgnoredSignal() throws Exception {
        String fds = dir.resolve("fds").toString();
        String status = dir.resolve("status").toString();
        // busybox cp is the hook's process itself (a shell would set signals of its own).
        runner.run(HookPhase.PRESTART, List.of(hook("/bin/busybox", "cp", "/proc/self/status", status),
                hook("/bin/busybox", "sh", "-c", "exec ls /proc/self/fd > " + fds)), STATE);
        // 3 is the directory ls reads; a descriptor of jrun's (it has dozens) would push it up.
        assertEquals(List.of("0", "1", "2", "3"), read("fds").lines().toList());
        List<String> signals = read("status").lines().filter(l -> l.matches("Sig(Blk|Ign):.*")).toList();
        assertEquals("SigBlk:\t0000000000000000", signals.get(0));
        // glibc 2.36's posix_spawn sets its two internal signals (32, 33) to SIG_IGN in the child,
        // which execve keeps (the JDK's ProcessBuilder, also posix_spawn, does the same); runc's
        // hooks have none ignored. None of the standard signals 1-31 may be ignored.
        long ignored = Long.parseLong(signals.get(1).substring("SigIgn:\t".length()), 16);
        assertEquals(0, ignored & ~0x180000000L, signals.get(1));
    }

    @Test
    void aRelativePathIsRefused() {
        HookFailedException e = assertThrows(HookFailedException.class,
                () -> runner.run(HookPhase.PRESTART, List.of(hook("true")), STATE));
        assertEquals("prestart hook config.json /hooks/prestart/0 (true) failed: cannot execute: "
                + "path must be absolute", e.getMessage());
    }

    @Test
    void aTimeoutMustBePositive() throws Exception {
        String h = script("h", "exit 0");
        HookFailedException e = assertThrows(HookFailedException.class,
                () -> runner.run(HookPhase.PRESTART, List.of(hook(h, List.of(), null, 0L)), STATE));
        assertTrue(e.getMessage().endsWith("failed: timeout must be greater than zero, not 0"), e.getMessage());
    }

    @Test
    void aNulByteCannotBeExecuted() throws Exception {
        String h = script("h", "exit 0");
        HookFailedException e = assertThrows(HookFailedException.class,
                () -> runner.run(HookPhase.PRESTART, List.of(hook(h, List.of(h), List.of("A=1", "B=x\0y"), null)), STATE));
        assertTrue(e.getMessage().endsWith("failed: cannot execute: env/1 holds a NUL byte, which execve cannot pass"),
                e.getMessage());
    }

    @Test
    void hooksRunInOrderAndTheFirstFailureStopsThem() throws Exception {
        String log = dir.resolve("log").toString();
        String a = script("a", "echo a >> " + log);
        String b = script("b", "echo b >> " + log);
        String fail = script("fail", "echo fail >> " + log + "; exit 1");
        assertThrows(HookFailedException.class,
                () -> runner.run(HookPhase.PRESTART, List.of(hook(a), hook(b), hook(a), hook(fail), hook(b)), STATE));
        assertEquals("a\nb\na\nfail\n", read("log"));
    }

    @Test
    void bestEffortRunsThemAllAndReturnsTheFailuresAsWarnings() throws Exception {
        String log = dir.resolve("log").toString();
        String a = script("a", "echo a >> " + log);
        String fail = script("fail", "echo fail >> " + log + "; echo oops >&2; exit 2");
        List<String> warnings = runner.runBestEffort(HookPhase.POSTSTOP,
                List.of(hook(a), hook(fail), hook(dir.resolve("missing").toString()), hook(a)), STATE);
        assertEquals("a\nfail\na\n", read("log"));
        assertEquals(List.of(
                "poststop hook config.json /hooks/poststop/1 (" + fail + ") failed: exit status 2; stderr: oops",
                "poststop hook config.json /hooks/poststop/2 (" + dir.resolve("missing")
                        + ") failed: cannot execute: ENOENT (No such file or directory)"), warnings);
        assertEquals(List.of(), runner.runBestEffort(HookPhase.POSTSTOP, List.of(hook(a)), STATE));
    }

    @Test
    void phasesNameTheirArrays() {
        Hook h = hook("/x");
        Hooks hooks = new Hooks(List.of(h), null, null, List.of(h, h), null, null, null);
        assertEquals(List.of(h), HookPhase.PRESTART.of(hooks));
        assertEquals(2, HookPhase.START_CONTAINER.of(hooks).size());
        assertEquals(List.of(), HookPhase.POSTSTOP.of(hooks));
        assertEquals(List.of(), HookPhase.CREATE_RUNTIME.of(null));
        assertEquals("/hooks/createContainer", HookPhase.CREATE_CONTAINER.pointer());
        assertEquals("startContainer", HookPhase.START_CONTAINER.specName());
    }

    @Test
    void exitDescriptions() {
        assertEquals("exit status 1", HookExit.exited(1).describe());
        assertEquals("exit status 143", HookExit.exited(143).describe());
        assertEquals("exit status 255", HookExit.exited(255).describe());
        assertEquals("killed by signal 9 (SIGKILL)", HookExit.killedBy(9).describe());
        assertTrue(HookExit.exited(0).success());
        assertFalse(HookExit.killedBy(15).success());
    }
}
