package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code process.terminal}: the pty jrun makes in the container's devpts and sends over
 * {@code --console-socket}, received here as an engine receives it, then used as the
 * container's terminal: its name, its size, /dev/console, the shell's exit status. And runc's
 * rules on when a terminal or a console socket may be asked for.
 */
class TerminalIT extends SandboxedIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The shell's prompt (busybox ash, as root): typing before it could race the line editor. */
    private static final String PROMPT = "# ";

    private Jrun jrun;

    @BeforeEach
    void jrunOfTheSandbox() {
        jrun = sandbox.jrun();
    }

    private static String id(String name) {
        return Sandbox.uniqueId(name);
    }

    /** A bundle whose process has a 30x100 terminal. */
    private Path terminalBundle(List<String> args, Consumer<ObjectNode> edit) {
        return sandbox.bundle(args, c -> {
            ObjectNode process = Configs.process(c);
            process.put("terminal", true);
            process.putObject("consoleSize").put("height", 30).put("width", 100);
            edit.accept(c);
        });
    }

    private String status(String id) {
        return Bundles.parse(jrun.run("state", id).ok().stdout()).get("status").asString();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    /** jrun running in the background (a foreground run or exec waits for its process). */
    private final class Background {
        private final java.lang.Process process;
        private final Path out;
        private final Path err;

        Background(String name, String... args) throws IOException {
            List<String> cmd = new ArrayList<>(Jrun.launcher());
            cmd.addAll(List.of("--root", jrun.root().toString()));
            cmd.addAll(List.of(args));
            out = tmp.resolve(name + ".out");
            err = tmp.resolve(name + ".err");
            process = new ProcessBuilder(cmd).redirectInput(new File("/dev/null")).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
        }

        Jrun.Result finish() throws Exception {
            try {
                if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new AssertionError("jrun did not finish: " + Files.readString(err));
                }
                return new Jrun.Result(process.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }

        /** Stops it whatever state it is in (for a test that failed half-way). */
        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void createSendsTheMasterAndTheContainersShellUsesTheTerminal() throws Exception {
        String id = id("shell");
        Path bundle = terminalBundle(List.of("sh"), c -> { });
        try (ConsoleReceiver receiver = new ConsoleReceiver(tmp.resolve("console.sock"))) {
            jrun.run("create", "--console-socket", receiver.path().toString(), "--bundle", bundle.toString(), id).ok();
            try (ConsoleReceiver.Pty pty = receiver.receive(WAIT)) {
                String link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + pty.fd())).toString();
                assertTrue(link.endsWith("ptmx"), "a pty master: " + link);
                assertEquals("created", status(id));

                jrun.run("start", id).ok();
                pty.readUntil(PROMPT, WAIT);
                pty.write("tty; stty size; stat -c %t,%T /dev/pts/0 /dev/console; echo marker-$((6*7)); exit 3\n");
                String out = pty.readToHangUp(WAIT);
                assertTrue(out.contains("\r\n/dev/pts/0\r\n"), "the shell's tty: " + out);
                assertTrue(out.contains("\r\n30 100\r\n"), "the configured size: " + out);
                // /dev/console is the same pty (devpts majors are 136 and up, 0x88)
                assertTrue(out.contains("\r\n88,0\r\n88,0\r\n"), "/dev/console is /dev/pts/0: " + out);
                assertTrue(out.contains("\r\nmarker-42\r\n"), "the shell ran the commands typed: " + out);
            }
            await("the container to stop", () -> status(id).equals("stopped"));
            jrun.run("delete", id).ok();
        }
    }

    /**
     * {@code jrun run} with a terminal and no console socket, started by {@code script} (a pty on
     * jrun's stdio, as a user's terminal) through {@code sh -c SHELL_COMMAND}: jrun relays between
     * that pty and the container's. Returns script's output, the container's and the shell's.
     */
    private String runUnderATerminal(String id, Path bundle, String shellCommand) throws Exception {
        StringBuilder jrunCommand = new StringBuilder();
        for (String word : Jrun.launcher()) {
            jrunCommand.append(shellQuoted(word)).append(' ');
        }
        jrunCommand.append("--root ").append(shellQuoted(jrun.root().toString())).append(" run --bundle ")
                .append(shellQuoted(bundle.toString())).append(' ').append(id);
        String inner = shellCommand.replace("JRUN_RUN", jrunCommand);
        Path out = tmp.resolve(id + ".script");
        java.lang.Process script = new ProcessBuilder("script", "-qec", "sh -c " + shellQuoted(inner), "/dev/null")
                .redirectInput(new File("/dev/null")).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertTrue(script.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS),
                    "jrun run did not finish under the terminal: " + Files.readString(out));
            return Files.readString(out).replace("\r", "");
        } finally {
            script.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(id))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static String shellQuoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    @Test
    void aForegroundRunRelaysItsTerminal() throws Exception {
        String id = id("relay");
        Path bundle = terminalBundle(List.of("sh", "-c", "tty; echo marker-$((6*7)); exit 3"), c -> { });
        String out = runUnderATerminal(id, bundle, "JRUN_RUN; echo \"status $?\"");
        assertTrue(out.contains("/dev/pts/0\n"), "the container's own pty: " + out);
        assertRelayedAndDeleted(out, 3, id);
    }

    /**
     * The container's marker-42 came through, its status was run's, and run deleted it. (script
     * echoes the end of its stdin as "^@" where it falls, for runc too; and busybox's stty fails
     * there now and then, for runc too: the size is checked with a console socket.)
     */
    private void assertRelayedAndDeleted(String out, int status, String id) {
        assertTrue(out.contains("marker-42\n"), "the output relayed: " + out);
        assertTrue(out.contains("status " + status + "\n"), "the process's status returned: " + out);
        assertFalse(jrun.root().resolve(id).toFile().exists(), "run deleted the container");
    }

    /**
     * jrun a background job of its terminal: {@code timeout}, forked by the shell, makes a process
     * group of its own. Setting raw mode from there made the kernel send SIGTTOU, which jrun
     * catches to forward, and restart the ioctl: forever (a run hung until killed). jrun now leaves
     * a terminal it does not own in the foreground alone, and the run completes.
     */
    @Test
    void aRunInTheBackgroundOfItsTerminalCompletes() throws Exception {
        String id = id("bgjob");
        Path bundle = terminalBundle(List.of("sh", "-c", "echo marker-$((6*7)); exit 4"), c -> { });
        String out = runUnderATerminal(id, bundle, "timeout -k 5 " + (WAIT.toSeconds() - 5)
                + " JRUN_RUN; echo \"status $?\"");
        assertRelayedAndDeleted(out, 4, id);
    }

    @Test
    void aForegroundRunWithAConsoleSocketReturnsTheShellsStatus() throws Exception {
        String id = id("run");
        Path bundle = terminalBundle(List.of("sh"), c -> { });
        try (ConsoleReceiver receiver = new ConsoleReceiver(tmp.resolve("console.sock"))) {
            Background run = new Background("run", "run", "--console-socket", receiver.path().toString(), "--bundle",
                    bundle.toString(), id);
            try (ConsoleReceiver.Pty pty = receiver.receive(WAIT)) {
                pty.readUntil(PROMPT, WAIT);
                pty.write("echo marker-$((6*7)); exit 3\n");
                assertTrue(pty.readToHangUp(WAIT).contains("\r\nmarker-42\r\n"), pty.output());
                Jrun.Result r = run.finish();
                assertEquals(3, r.exit(), r.stderr());
                assertEquals("", r.stdout(), "the process's output went to the terminal");
            } finally {
                run.kill();
            }
        }
        assertEquals(List.of(), Leftovers.stateEntries(jrun.root()), "run deleted its container");
    }

    @Test
    void execWithTtyAndAConsoleSocketGivesAWorkingShell() throws Exception {
        String id = id("exec");
        // the container's own process has no terminal; the config's size is exec's too (as in runc)
        Path bundle = sandbox.bundle(List.of("sleep", "600"),
                c -> Configs.process(c).putObject("consoleSize").put("height", 30).put("width", 100));
        jrun.run("run", "-d", "--bundle", bundle.toString(), id).ok();
        try (ConsoleReceiver receiver = new ConsoleReceiver(tmp.resolve("console.sock"))) {
            Background exec = new Background("exec", "exec", "-t", "--console-socket", receiver.path().toString(), id,
                    "sh");
            try (ConsoleReceiver.Pty pty = receiver.receive(WAIT)) {
                pty.readUntil(PROMPT, WAIT);
                pty.write("tty; stty size; ps -o pid,tty,args; echo marker-$((6*7)); exit 5\n");
                String out = pty.readToHangUp(WAIT);
                assertTrue(out.contains("\r\n/dev/pts/0\r\n"), "a pty of the container's devpts: " + out);
                assertTrue(out.contains("\r\n30 100\r\n"), out);
                assertTrue(out.contains("\r\nmarker-42\r\n"), out);
                assertTrue(out.lines().anyMatch(l -> l.matches("\\s*1 \\S+\\s+sleep 600\\s*")), "the container's init: " + out);
                Jrun.Result r = exec.finish();
                assertEquals(5, r.exit(), r.stderr());
            } finally {
                exec.kill();
            }
        }
        assertEquals("running", status(id));
        assertEquals(1, Leftovers.processesWithEnv(sandbox.marker()).size(), "only the init is left");
    }

    @Test
    void execRefusesATerminalWithNowhereToGoAndASocketWithoutATerminal() throws Exception {
        String id = id("exec-rules");
        Path bundle = sandbox.bundle(List.of("sleep", "600"), c -> { });
        jrun.run("run", "-d", "--bundle", bundle.toString(), id).ok();
        Jrun.Result detachedTty = jrun.run("exec", "-t", "-d", id, "true");
        assertNotEquals(0, detachedTty.exit());
        assertTrue(detachedTty.stderr().contains("cannot allocate tty"), detachedTty.stderr());
        try (ConsoleReceiver receiver = new ConsoleReceiver(tmp.resolve("console.sock"))) {
            Jrun.Result noTty = jrun.run("exec", "--console-socket", receiver.path().toString(), id, "true");
            assertNotEquals(0, noTty.exit());
            assertTrue(noTty.stderr().contains("cannot use console socket"), noTty.stderr());
            assertFalse(receiver.connected(Duration.ofMillis(200)), "jrun connected to the socket anyway");
        }
        assertEquals(1, Leftovers.processesWithEnv(sandbox.marker()).size(), "only the init");
    }

    @Test
    void aTerminalWithoutAConsoleSocketIsRefusedAndLeavesNothing() {
        Path bundle = terminalBundle(List.of("sh"), c -> { });
        Jrun.Result r = jrun.run("create", "--bundle", bundle.toString(), id("no-socket"));
        assertNotEquals(0, r.exit());
        assertTrue(r.stderr().contains("cannot allocate tty if jrun will detach without setting console socket"),
                r.stderr());
        assertEquals(List.of(), Leftovers.stateEntries(jrun.root()));
        assertEquals(List.of(), Leftovers.processesWithEnv(sandbox.marker()));
    }

    @Test
    void aConsoleSocketWithoutATerminalIsRefused() {
        Path bundle = sandbox.bundle(List.of("true"), c -> { });
        try (ConsoleReceiver receiver = new ConsoleReceiver(tmp.resolve("console.sock"))) {
            Jrun.Result r = jrun.run("create", "--console-socket", receiver.path().toString(), "--bundle",
                    bundle.toString(), id("no-terminal"));
            assertNotEquals(0, r.exit());
            assertTrue(r.stderr().contains("cannot use console socket"), r.stderr());
            assertFalse(receiver.connected(Duration.ofMillis(200)), "jrun connected to the socket anyway");
        }
        assertEquals(List.of(), Leftovers.stateEntries(jrun.root()));
        assertEquals(List.of(), Leftovers.processesWithEnv(sandbox.marker()));
    }

    @Test
    void aConsoleSocketNobodyListensOnFailsNamingTheFlagAndLeavesNothing() throws Exception {
        Path bundle = terminalBundle(List.of("sh"), c -> { });
        Path missing = tmp.resolve("missing.sock");
        // a receiver that has gone: its socket file is left, nobody listens
        Path stale = tmp.resolve("stale.sock");
        ConsoleReceiver.leaveStale(stale);
        assertTrue(Files.exists(stale));
        for (Path socket : List.of(missing, stale)) {
            Jrun.Result r = jrun.run("create", "--console-socket", socket.toString(), "--bundle", bundle.toString(),
                    id("dead-socket"));
            assertNotEquals(0, r.exit(), socket.toString());
            assertTrue(r.stderr().contains("--console-socket"), r.stderr());
            assertTrue(r.stderr().contains(socket.toString()), r.stderr());
            assertEquals(List.of(), Leftovers.stateEntries(jrun.root()), "state left by a failed create");
            assertEquals(List.of(), Leftovers.processesWithEnv(sandbox.marker()), "processes left by a failed create");
            assertEquals(List.of(), Leftovers.mountsUnder(tmp), "mounts left by a failed create");
        }
        // and the same for run, which must not leave its container behind either
        Jrun.Result run = jrun.run("run", "--console-socket", stale.toString(), "--bundle", bundle.toString(),
                id("dead-socket-run"));
        assertNotEquals(0, run.exit());
        assertTrue(run.stderr().contains("--console-socket"), run.stderr());
    }
}
