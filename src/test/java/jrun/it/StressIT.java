package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many containers in a row and in parallel: none hangs (every jrun command is bounded by a
 * time-out), and afterwards nothing is left: no mount mentioning the bundle, no state
 * directory, no container or jrun process, no file descriptor in the caller.
 *
 * <p>Sizes, the by default: {@code -Djrun.stress.cycles} (500) sequential
 * create/start/state/delete cycles of {@code /bin/true}, and {@code -Djrun.stress.threads} (4)
 * threads each doing {@code -Djrun.stress.parallelCycles} (50) {@code run}s. Every command is
 * a jrun JVM start: expect several minutes on 2 cores; smaller numbers for a quick run.
 */
class StressIT {
    private static final int CYCLES = Integer.getInteger("jrun.stress.cycles", 500);
    private static final int THREADS = Integer.getInteger("jrun.stress.threads", 4);
    private static final int PARALLEL_CYCLES = Integer.getInteger("jrun.stress.parallelCycles", 50);
    /** Per jrun command: generous, because parallel runs on a loaded 2-core machine are slow. */
    private static final int COMMAND_TIMEOUT_SECONDS = 60;

    @TempDir
    Path tmp;

    private Sandbox sandbox;
    private Path bundle;
    private int fdsBefore;

    @BeforeEach
    void setUp() {
        sandbox = new Sandbox(tmp);
        bundle = sandbox.bundle(List.of("true"), c -> { });
        fdsBefore = Leftovers.openFds();
    }

    private Jrun.Result jrun(String... args) {
        return sandbox.jrun().run(null, COMMAND_TIMEOUT_SECONDS, args);
    }

    private void assertNothingLeft() {
        assertEquals(List.of(), Leftovers.mountsUnder(tmp), "mounts left on the host");
        assertEquals(List.of(), Leftovers.stateEntries(sandbox.jrun().root()), "state left under --root");
        assertEquals(List.of(), Leftovers.processesWithEnv(sandbox.marker()), "container processes left");
        assertEquals(List.of(), Leftovers.descendants(), "jrun processes left");
        assertEquals(fdsBefore, Leftovers.openFds(), "file descriptors leaked in the caller");
    }

    @Test
    void sequentialCreateStartDeleteCycles() throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < CYCLES; i++) {
            String id = "seq-" + i;
            Jrun.Result created = jrun("create", "--bundle", bundle.toString(), id);
            assertEquals(0, created.exit(), "create in cycle " + i + ": " + created.stderr());
            Jrun.Result started = jrun("start", id);
            assertEquals(0, started.exit(), "start in cycle " + i + ": " + started.stderr());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(COMMAND_TIMEOUT_SECONDS);
            while (!jrun("state", id).stdout().contains("\"stopped\"")) {
                assertTrue(System.nanoTime() < deadline, "cycle " + i + ": /bin/true never stopped");
                Thread.sleep(10);
            }
            Jrun.Result deleted = jrun("delete", id);
            assertEquals(0, deleted.exit(), "delete in cycle " + i + ": " + deleted.stderr());
        }
        report("sequential create/start/delete", CYCLES, start);
        assertNothingLeft();
    }

    @Test
    void parallelRunsOfTrue() throws Exception {
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < PARALLEL_CYCLES; i++) {
                        String id = "par-" + thread + "-" + i;
                        Jrun.Result r = jrun("run", "--bundle", bundle.toString(), id);
                        assertEquals(0, r.exit(), id + ": " + r.stderr());
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
        report(THREADS + "-way parallel run", THREADS * PARALLEL_CYCLES, start);
        assertNothingLeft();
    }

    private static void report(String what, int cycles, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("StressIT: %d cycles of %s in %.1f s (%.0f ms each)%n", cycles, what, seconds,
                seconds * 1000 / cycles);
    }
}
