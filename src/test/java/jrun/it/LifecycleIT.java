package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** create, start, state, kill, delete of real containers, as an engine drives them. */
class LifecycleIT {
    @TempDir
    Path tmp;

    private Sandbox sandbox;
    private Jrun jrun;
    private Path shared;
    // Unique: a container id also names its cgroup (/jrun/ID), which is machine-wide.
    private final String life = Sandbox.uniqueId("life");
    private final String term = Sandbox.uniqueId("term");
    private final String usr1 = Sandbox.uniqueId("usr1");
    private final String unstarted = Sandbox.uniqueId("unstarted");

    @BeforeEach
    void sandbox() throws IOException {
        sandbox = new Sandbox(tmp);
        jrun = sandbox.jrun();
        shared = Files.createDirectories(tmp.resolve("shared"));
    }

    /** A bundle running {@code script} with the host directory {@link #shared} at /shared. */
    private Path bundle(String script) {
        return sandbox.bundle(List.of("sh", "-c", script),
                c -> Configs.addMount(c, "/shared", "bind", shared.toString(), "rbind", "rw"));
    }

    private JsonNode state(String id) {
        return Bundles.parse(jrun.run("state", id).ok().stdout());
    }

    private String status(String id) {
        return state(id).get("status").asString();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    @Test
    void createdThenRunningThenStoppedThenGone() throws Exception {
        Path bundle = bundle("echo started > /shared/started; while [ ! -e /shared/finish ]; do sleep 0.05; done");
        Path pidFile = tmp.resolve("container.pid");
        jrun.run("create", "--bundle", bundle.toString(), "--pid-file", pidFile.toString(), life).ok();

        JsonNode created = state(life);
        assertEquals("created", created.get("status").asString());
        assertEquals(life, created.get("id").asString());
        assertEquals(bundle.toString(), created.get("bundle").asString());
        int pid = created.get("pid").asInt();
        // runc writes the pid without a newline
        assertEquals(Integer.toString(pid), Files.readString(pidFile));
        assertTrue(Leftovers.isAlive(pid), "the init process " + pid + " is not alive");
        assertFalse(Files.exists(shared.resolve("started")), "the user's process ran before start");

        jrun.run("start", life).ok();
        await("the process to start", () -> Files.exists(shared.resolve("started")));
        assertEquals("running", status(life));
        assertEquals(pid, state(life).get("pid").asInt());

        Files.writeString(shared.resolve("finish"), "");
        await("the container to stop", () -> status(life).equals("stopped"));

        jrun.run("delete", life).ok();
        Jrun.Result gone = jrun.run("state", life);
        assertNotEquals(0, gone.exit());
        assertTrue(gone.stderr().contains("does not exist"), gone.stderr());
        assertEquals(List.of(), Leftovers.stateEntries(jrun.root()));
    }

    @Test
    void killSendsSigtermByDefaultAndTheContainerStops() throws Exception {
        Path bundle = bundle("trap 'echo TERM > /shared/signal; exit 3' TERM; touch /shared/ready; "
                + "while true; do sleep 0.05; done");
        jrun.run("create", "--bundle", bundle.toString(), term).ok();
        jrun.run("start", term).ok();
        await("the trap to be set", () -> Files.exists(shared.resolve("ready")));
        assertEquals("running", status(term));

        jrun.run("kill", term).ok();
        await("the signal to arrive", () -> Files.exists(shared.resolve("signal")));
        assertEquals("TERM\n", Files.readString(shared.resolve("signal")));
        await("the container to stop", () -> status(term).equals("stopped"));
        jrun.run("delete", term).ok();
    }

    @Test
    void killWithANamedSignalDeliversThatSignal() throws Exception {
        Path bundle = bundle("trap 'echo USR1 >> /shared/signal' USR1; touch /shared/ready; "
                + "while [ ! -e /shared/finish ]; do sleep 0.05; done");
        jrun.run("create", "--bundle", bundle.toString(), usr1).ok();
        jrun.run("start", usr1).ok();
        await("the trap to be set", () -> Files.exists(shared.resolve("ready")));
        jrun.run("kill", usr1, "SIGUSR1").ok();
        await("the signal to arrive", () -> Files.exists(shared.resolve("signal")));
        assertEquals("running", status(usr1), "USR1 is handled: the process goes on");
        Files.writeString(shared.resolve("finish"), "");
        await("the container to stop", () -> status(usr1).equals("stopped"));
        assertEquals("USR1\n", Files.readString(shared.resolve("signal")));
        jrun.run("delete", usr1).ok();
    }

    @Test
    void runReturnsTheProcessExitCode() {
        assertEquals(0, jrun.run("run", "-b", bundle("true").toString(), "exit0").exit());
        assertEquals(42, jrun.run("run", "-b", bundle("exit 42").toString(), "exit42").exit());
        assertEquals(List.of(), Leftovers.stateEntries(jrun.root()), "run deletes its container");
    }

    @Test
    void deleteOfACreatedContainerKillsItsWaitingInit() throws Exception {
        jrun.run("create", "--bundle", bundle("touch /shared/ran").toString(), unstarted).ok();
        int pid = state(unstarted).get("pid").asInt();
        assertTrue(Leftovers.isAlive(pid));
        jrun.run("delete", unstarted).ok();
        await("the init to die", () -> !Leftovers.isAlive(pid));
        assertFalse(Files.exists(shared.resolve("ran")), "the process ran although it was never started");
        assertEquals(List.of(), Leftovers.stateEntries(jrun.root()));
    }

    /**
     * A container's pid, once the container has stopped, may be reused by any process. The state
     * keeps the process's start time; a live process with the same pid but another start time
     * is not the container: it must not be reported running, signalled, or killed by delete.
     */
    @Test
    void aRecycledPidIsNeverMistakenForTheContainer() throws Exception {
        jrun.run("create", "--bundle", bundle("sleep 60").toString(), "recycled").ok();
        jrun.run("start", "recycled").ok();
        jrun.run("kill", "recycled", "KILL").ok();
        await("the container to stop", () -> status("recycled").equals("stopped"));

        java.lang.Process stranger = new ProcessBuilder("sleep", "120").start();
        try {
            // the state as it would be had the kernel given the container's pid to the stranger
            Path stateFile = jrun.root().resolve("recycled/state.json");
            ObjectNode saved = (ObjectNode) Bundles.parse(Files.readString(stateFile));
            saved.put("pid", stranger.pid());
            Files.writeString(stateFile, saved.toString());

            assertEquals("stopped", status("recycled"));
            Jrun.Result kill = jrun.run("kill", "recycled", "KILL");
            assertNotEquals(0, kill.exit(), "kill signalled a process that is not the container");
            assertTrue(kill.stderr().contains("not running"), kill.stderr());
            jrun.run("delete", "recycled").ok();
            assertFalse(stranger.waitFor(500, TimeUnit.MILLISECONDS), "the stranger was killed");
            assertTrue(stranger.isAlive());
        } finally {
            stranger.destroyForcibly();
        }
    }
}
