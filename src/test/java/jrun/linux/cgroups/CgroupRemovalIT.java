package jrun.linux.cgroups;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Removing a real cgroup with Java's file API (what {@code delete} does): a cgroup that still
 * holds a process is recognised as busy and waited for, then removed, subgroups first. On this
 * host's cgroup2 hierarchy, which is there on hybrid and pure v2 hosts alike.
 */
class CgroupRemovalIT {
    @Test
    void aBusyCgroupIsWaitedForAndRemovedOnceItsProcessIsGone() throws Exception {
        CgroupHost host = CgroupHost.detect();
        org.junit.jupiter.api.Assumptions.assumeTrue(host.unified() != null, "this host has no cgroup2 hierarchy");
        Path dir = host.unified().resolve("jrun-removal-it-" + UUID.randomUUID().toString().substring(0, 8));
        Path sub = dir.resolve("made-by-the-container");
        Files.createDirectories(sub);
        Process sleeper = new ProcessBuilder("sh", "-c", "echo $$ > " + sub + "/cgroup.procs && exec sleep 60").start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Files.readString(sub.resolve("cgroup.procs")).isBlank()) {
                assertTrue(System.nanoTime() < deadline, "the sleeper never joined " + sub);
                Thread.sleep(10);
            }
            FileSystemException busy = assertThrows(FileSystemException.class, () -> Files.delete(sub));
            assertTrue(CgroupFiles.isBusy(busy), "not recognised as busy: " + busy.getReason());

            CompletableFuture<Boolean> removal = CompletableFuture.supplyAsync(() -> CgroupFiles.removeTree(dir));
            Thread.sleep(300);
            assertFalse(removal.isDone(), "removal must wait while the cgroup holds a process");
            sleeper.destroyForcibly().waitFor();
            assertTrue(removal.get(10, TimeUnit.SECONDS), "removed once the process is gone");
            assertFalse(Files.exists(dir));
        } finally {
            sleeper.destroyForcibly().waitFor();
            if (Files.exists(sub)) {
                Files.delete(sub);
            }
            Files.deleteIfExists(dir);
        }
    }
}
