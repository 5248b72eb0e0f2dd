package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jrun run} of real containers: what the process sees inside. */
class RunIT {
    @TempDir
    Path tmp;

    @Test
    void processIsPidOneWithTheConfiguredHostname() {
        Path bundle = Bundles.create(tmp.resolve("b"), List.of("sh", "-c", "echo $$; hostname; ps -o pid,comm; true"));
        Jrun jrun = new Jrun(tmp.resolve("root"));
        Jrun.Result r = jrun.run("run", "--bundle", bundle.toString(), "pid1").ok();
        List<String> lines = r.stdout().lines().toList();
        assertEquals("1", lines.get(0));
        assertEquals("jrun-demo", lines.get(1));
        // ps sees only the container's processes: sh (1) and ps itself
        List<String> processes = lines.subList(3, lines.size());
        assertEquals(2, processes.size(), r.stdout());
        assertTrue(processes.get(0).trim().startsWith("1 "), r.stdout());
    }

    @Test
    void runReturnsTheExitCodeAnd137ForSigkill() {
        Jrun jrun = new Jrun(tmp.resolve("root"));
        Path exit7 = Bundles.create(tmp.resolve("b7"), List.of("sh", "-c", "exit 7"));
        assertEquals(7, jrun.run("run", "-b", exit7.toString(), "exit7").exit());
    }

    @Test
    void aContainerKilledWithSigkillMakesRunReturn137() throws Exception {
        Jrun jrun = new Jrun(tmp.resolve("root"));
        Path bundle = Bundles.create(tmp.resolve("bk"), List.of("sleep", "60"));
        List<String> cmd = new java.util.ArrayList<>(Jrun.launcher());
        cmd.addAll(List.of("--root", jrun.root().toString(), "run", "-b", bundle.toString(), "killed"));
        java.lang.Process run = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!jrun.run("state", "killed").stdout().contains("\"running\"")) {
            assertTrue(System.nanoTime() < deadline, "container never reached running");
            Thread.sleep(50);
        }
        jrun.run("kill", "killed", "KILL").ok();
        assertTrue(run.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(137, run.exitValue());
    }

    @Test
    void runWithAnIdInUseFailsAndLeavesThatContainerAlone() {
        Jrun jrun = new Jrun(tmp.resolve("root"));
        Path bundle = Bundles.create(tmp.resolve("taken"), List.of("sleep", "60"));
        jrun.run("create", "-b", bundle.toString(), "taken").ok();
        try {
            String before = jrun.run("state", "taken").ok().stdout();
            Jrun.Result second = jrun.run("run", "-b", bundle.toString(), "taken");
            assertNotEquals(0, second.exit());
            assertTrue(second.stderr().contains("container with id exists: taken"), second.stderr());
            // runc's answer too: the failed run removes nothing of the other container
            assertEquals(before, jrun.run("state", "taken").ok().stdout());
            long pid = Long.parseLong(before.replaceAll("(?s).*\"pid\": *(\\d+).*", "$1"));
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the init of taken was killed");
        } finally {
            jrun.run("delete", "--force", "taken").ok();
        }
    }

    /** A shell that is PID 1 of its namespace and says when its TERM trap is set. */
    private static final List<String> TRAPPING_SHELL = List.of("sh", "-c",
            "trap 'echo got-TERM; exit 3' TERM; echo ready; while :; do sleep 0.1; done");

    @Test
    void runForwardsASignalToTheContainersProcess() throws Exception {
        Jrun jrun = new Jrun(tmp.resolve("root"));
        Path bundle = Bundles.create(tmp.resolve("bf"), TRAPPING_SHELL);
        BackgroundRun run = BackgroundRun.start(jrun, bundle, "forwarded");
        run.awaitLine("ready");
        run.terminate(); // SIGTERM to jrun
        assertEquals(3, run.exit(), run.output());
        assertTrue(run.output().contains("got-TERM"), run.output());
        assertEquals(List.of(), Leftovers.stateEntries(jrun.root()));
    }

    @Test
    void aSignalDuringTheCreateIsQueuedNotJrunsDeath() throws Exception {
        Jrun jrun = new Jrun(tmp.resolve("root"));
        Path hookRan = tmp.resolve("hook-ran");
        // A createRuntime hook holds the create for 3 s; jrun gets SIGTERM meanwhile.
        Path bundle = Bundles.create(tmp.resolve("bq"), TRAPPING_SHELL, c -> {
            var hook = c.putObject("hooks").putArray("createRuntime").addObject();
            hook.put("path", "/bin/sh");
            hook.putArray("args").add("sh").add("-c").add("/bin/touch " + hookRan + "; /bin/sleep 3");
        });
        BackgroundRun run = BackgroundRun.start(jrun, bundle, "queued");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!java.nio.file.Files.exists(hookRan)) {
            assertTrue(System.nanoTime() < deadline, "the createRuntime hook never ran");
            Thread.sleep(20);
        }
        run.terminate();
        // runc's behaviour: jrun survives and the container starts; the queued signal goes to the
        // process once it runs. The shell catches it if its trap is set by then; if not, the
        // kernel drops it (a pid namespace's init gets only the signals it handles) and a
        // second one is caught.
        run.awaitLine("ready");
        if (!run.process().waitFor(1, java.util.concurrent.TimeUnit.SECONDS)) {
            run.terminate();
        }
        assertEquals(3, run.exit(), run.output());
        assertTrue(run.output().contains("got-TERM"), run.output());
        assertEquals(List.of(), Leftovers.stateEntries(jrun.root()));
    }

    /** {@code jrun run} in the background, its output read line by line. */
    private record BackgroundRun(java.lang.Process process, java.util.concurrent.BlockingQueue<String> lines,
                              StringBuffer all, Thread reader) {
        private static final String END = "\0end of output";

        static BackgroundRun start(Jrun jrun, Path bundle, String id) throws java.io.IOException {
            List<String> cmd = new java.util.ArrayList<>(Jrun.launcher());
            cmd.addAll(List.of("--root", jrun.root().toString(), "run", "-b", bundle.toString(), id));
            java.lang.Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            var lines = new java.util.concurrent.LinkedBlockingQueue<String>();
            StringBuffer all = new StringBuffer();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (var in = p.inputReader()) {
                    for (String line; (line = in.readLine()) != null; ) {
                        all.append(line).append('\n');
                        lines.add(line);
                    }
                } catch (java.io.IOException ignored) {
                    // the process is gone
                } finally {
                    lines.add(END);
                }
            });
            return new BackgroundRun(p, lines, all, reader);
        }

        void awaitLine(String expected) throws InterruptedException {
            while (true) {
                String line = lines.poll(30, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue(line != null && !line.equals(END), "no line '" + expected + "' from jrun run (" + (process.isAlive() ? "running" : "exit " + process.exitValue()) + "): " + all);
                if (line.equals(expected)) {
                    return;
                }
            }
        }

        /** SIGTERM to jrun; not Process.destroy, which also closes the output being read. */
        void terminate() {
            process.toHandle().destroy();
        }

        /** Waits for jrun and for the last of its output. */
        int exit() throws InterruptedException {
            assertTrue(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "jrun run did not end: " + all);
            reader.join(30_000);
            return process.exitValue();
        }

        String output() {
            return all.toString();
        }
    }
}
