package jrun.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several jrun processes on one container, as podman and a user's shell can be. */
class StateStoreConcurrencyTest {
    @TempDir
    Path root;
    @TempDir
    Path logs;

    /** On tmpfs, like /run, when there is one: no fsync latency, so many more operations race. */
    private Path fastRoot() throws Exception {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "jrun-state-test") : root;
    }

    @Test
    void twoProcessesHammeringOneContainerNeverSeeATornStateOrLoseAnUpdate() throws Exception {
        Path root = fastRoot();
        try {
            hammer(root);
        } finally {
            if (!root.equals(this.root)) {
                try (Stream<Path> all = Files.walk(root)) {
                    for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    private void hammer(Path root) throws Exception {
        StateStore store = new StateStore(root);
        ContainerState base = ContainerState.creating("1.2.0", "hammered", "/b", "/b/rootfs", Map.of());
        store.create(StateHammer.withCounter(base, 0, new Random(1))).close();

        List<Process> hammers = new ArrayList<>();
        for (int seed = 1; seed <= 2; seed++) {
            hammers.add(ChildJvm.start(errors(seed), StateHammer.class, "hammer", root.toString(), "hammered", "4000", Integer.toString(seed)));
        }
        long increments = 0, recreations = 0;
        for (int i = 0; i < hammers.size(); i++) {
            Process p = hammers.get(i);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "a hammer did not finish");
            String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim()
                    + "\n" + Files.readString(errors(i + 1));
            assertEquals(0, p.exitValue(), report);
            Map<String, Long> counts = parse(report.lines().findFirst().orElse(""));
            assertEquals(0, counts.get("violations"), report);
            assertTrue(counts.get("increments") > 10 && counts.get("reads") > 10 && counts.get("recreations") > 0,
                    "each kind of operation ran: " + report);
            increments += counts.get("increments");
            recreations += counts.get("recreations");
        }
        // Every locked read-modify-write survived, across removals and re-creations: no two
        // processes were ever inside the lock together.
        assertEquals(increments, StateHammer.verifiedCounter(store.load("hammered")), "recreations=" + recreations);
        try (Stream<Path> entries = Files.list(root)) {
            assertEquals(List.of("hammered"), entries.map(e -> e.getFileName().toString()).toList(),
                    "no temporary directory is left behind");
        }
        try (Stream<Path> entries = Files.list(store.containerDir("hammered"))) {
            assertEquals(List.of("lock", "state.json"), entries.map(e -> e.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aWaiterForTheLockOfARemovedAndRecreatedContainerGetsTheNewOne() throws Exception {
        StateStore store = new StateStore(root);
        ContainerState first = ContainerState.creating("1.2.0", "c", "/b", "/b/rootfs", Map.of()).withExtra("generation", "1");
        ContainerLock held = store.create(first);
        Process waiter = ChildJvm.start(errors(0), StateHammer.class, "lock", root.toString(), "c");
        BufferedReader out = new BufferedReader(new InputStreamReader(waiter.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("waiting", out.readLine());
        Thread.sleep(500);
        assertTrue(waiter.isAlive(), "the waiter blocks while the lock is held");
        store.remove(held);
        ContainerLock second = store.create(first.withExtra("generation", "2"));
        held.close();
        Thread.sleep(300);
        assertTrue(waiter.isAlive(), "the waiter blocks on the new container's lock too");
        second.close();
        assertTrue(waiter.waitFor(30, TimeUnit.SECONDS));
        String line = out.readLine();
        assertTrue(line.startsWith("locked 2 "), line);
    }

    @Test
    void aWaiterForTheLockOfARemovedContainerFindsItGone() throws Exception {
        StateStore store = new StateStore(root);
        ContainerLock held = store.create(ContainerState.creating("1.2.0", "c", "/b", "/b/rootfs", Map.of()));
        Process waiter = ChildJvm.start(errors(0), StateHammer.class, "lock", root.toString(), "c");
        BufferedReader out = new BufferedReader(new InputStreamReader(waiter.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("waiting", out.readLine());
        Thread.sleep(500);
        store.remove(held);
        held.close();
        assertTrue(waiter.waitFor(30, TimeUnit.SECONDS));
        String line = out.readLine();
        assertTrue(line.startsWith("not-found "), line);
    }

    private Path errors(int child) {
        return logs.resolve("child-" + child + ".err");
    }

    private static Map<String, Long> parse(String report) {
        Map<String, Long> counts = new HashMap<>();
        for (String kv : report.split(" ")) {
            String[] parts = kv.split("=");
            counts.put(parts[0], Long.parseLong(parts[1]));
        }
        return counts;
    }
}
