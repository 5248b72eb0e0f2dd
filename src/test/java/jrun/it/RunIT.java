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
}
