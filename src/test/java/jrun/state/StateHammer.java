package jrun.state;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import jrun.base.JrunException;

/**
 * A separate process for {@link StateStoreConcurrencyTest}: {@code hammer ROOT ID MILLIS SEED}
 * loops over locked updates, unlocked reads, lists and remove-then-re-create of one container;
 * {@code lock ROOT ID} waits for the container's lock and reports what it found. Results go to
 * stdout as one {@code key=value ...} line; problems seen go to stderr.
 */
public final class StateHammer {
    static final String COUNTER = "counter";
    static final String CHECKSUM = "checksum";
    static final String PAYLOAD = "payload";
    static final String INSIDE = "inside";

    private StateHammer() {}

    public static void main(String[] args) throws Exception {
        StateStore store = new StateStore(Path.of(args[1]));
        String id = args[2];
        switch (args[0]) {
            case "hammer" -> hammer(store, id, Long.parseLong(args[3]), Long.parseLong(args[4]));
            case "lock" -> lockAndReport(store, id);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** A state whose payload is big enough that a non-atomic write would be seen half done,
     *  with a checksum over payload and counter. */
    static ContainerState withCounter(ContainerState base, long counter, Random random) {
        char[] payload = new char[100_000 + random.nextInt(100_000)];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (char) ('a' + random.nextInt(26));
        }
        String p = new String(payload);
        return new ContainerState(base.ociVersion(), base.id(), base.status(), base.pid(), base.pidStartTime(),
                base.bundle(), base.rootfs(), base.created(), Map.of(PAYLOAD, p), base.cgroupsPath(),
                base.cgroupPaths(), base.namespacePaths(), base.userNamespace(), base.pidNamespace(), base.rootless(),
                Map.of(COUNTER, Long.toString(counter), CHECKSUM, checksum(p, counter)));
    }

    static String checksum(String payload, long counter) {
        CRC32 crc = new CRC32();
        crc.update((payload + ":" + counter).getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }

    /** The state's counter, or an exception when the state is not one a writer produced whole. */
    static long verifiedCounter(ContainerState s) {
        String payload = s.annotations().get(PAYLOAD);
        long counter = Long.parseLong(s.extra().get(COUNTER));
        if (payload == null || !checksum(payload, counter).equals(s.extra().get(CHECKSUM))) {
            throw new IllegalStateException("state with a wrong checksum: counter " + counter);
        }
        return counter;
    }

    private static void hammer(StateStore store, String id, long millis, long seed) throws Exception {
        Random random = new Random(seed);
        long increments = 0, reads = 0, lists = 0, recreations = 0, notFound = 0, violations = 0, lockWait = 0;
        long start = System.nanoTime(), deadline = start + millis * 1_000_000, limit = start + 60_000_000_000L;
        // At least a few of each kind, however slow a loaded machine is, but not forever.
        while ((System.nanoTime() < deadline || increments < 10 || reads < 10 || recreations < 3)
                && System.nanoTime() < limit) {
            int op = random.nextInt(10);
            try {
                if (op < 3) {
                    long before = System.nanoTime();
                    try (ContainerLock lock = store.lock(id)) {
                        lockWait += System.nanoTime() - before;
                        Path inside = enter(lock);
                        ContainerState s = store.load(id);
                        store.save(withCounter(s, verifiedCounter(s) + 1, random));
                        increments++;
                        Files.delete(inside);
                    }
                } else if (op < 8) {
                    verifiedCounter(store.load(id));
                    reads++;
                } else if (op < 9) {
                    for (ContainerState s : store.list(problem -> {
                        throw new IllegalStateException("list problem: " + problem);
                    })) {
                        verifiedCounter(s);
                    }
                    lists++;
                } else {
                    ContainerState s;
                    try (ContainerLock lock = store.lock(id)) {
                        enter(lock);
                        s = store.load(id);
                        verifiedCounter(s);
                        store.remove(lock);
                    }
                    // Only the remover re-creates, so the id is free here, and no update can
                    // have happened since the load: the counter carries over.
                    store.create(withCounter(s, verifiedCounter(s), random)).close();
                    recreations++;
                }
            } catch (ContainerNotFoundException e) {
                notFound++;
            } catch (JrunException | IllegalStateException | FileAlreadyExistsException | NumberFormatException e) {
                violations++;
                System.err.println("StateHammer " + seed + ": " + e);
            }
        }
        System.out.println("increments=" + increments + " reads=" + reads + " lists=" + lists
                + " recreations=" + recreations + " notFound=" + notFound + " violations=" + violations
                + " lockWaitMillis=" + lockWait / 1_000_000);
    }

    /** Proves exclusive ownership: the marker file can only be created by one holder at a time. */
    private static Path enter(ContainerLock lock) throws Exception {
        return Files.createFile(lock.containerDir().resolve(INSIDE));
    }

    private static void lockAndReport(StateStore store, String id) throws Exception {
        System.out.println("waiting");
        System.out.flush();
        long start = System.nanoTime();
        String outcome;
        try (ContainerLock lock = store.lock(id)) {
            outcome = (lock.isHeld() ? "locked " : "unlocked ") + store.load(id).extra().getOrDefault("generation", "");
        } catch (ContainerNotFoundException e) {
            outcome = "not-found";
        }
        System.out.println(outcome + " waitedMillis=" + (System.nanoTime() - start) / 1_000_000);
    }
}
