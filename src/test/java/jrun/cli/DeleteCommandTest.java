package jrun.cli;

import static jrun.state.CliRun.jrun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jrun.base.ExitCodes;
import jrun.state.CliRun;
import jrun.state.ContainerStatus;
import org.junit.jupiter.api.Test;

class DeleteCommandTest extends PlantedRootTest {
    @Test
    void deletesAStoppedContainer() throws Exception {
        CliRun.plant(root(), "c1", ContainerStatus.RUNNING, null, false, Map.of());
        assertEquals(new CliRun.Result(0, "", ""), jrun(root(), "delete", "c1"));
        assertFalse(Files.exists(root().resolve("c1")));
        CliRun.Result again = jrun(root(), "delete", "c1");
        assertEquals(1, again.exitCode());
        assertTrue(again.err().contains("container does not exist: c1"), again.err());
    }

    @Test
    void refusesARunningContainerUnlessForced() throws Exception {
        sleep = new ProcessBuilder("sleep", "60").start();
        CliRun.plant(root(), "r", ContainerStatus.RUNNING, sleep, false, Map.of());
        CliRun.Result refused = jrun(root(), "delete", "r");
        assertEquals(1, refused.exitCode());
        assertTrue(refused.err().contains("cannot delete container r that is not stopped: running"), refused.err());
        assertTrue(sleep.isAlive());
        assertTrue(Files.exists(root().resolve("r/state.json")));

        assertEquals(new CliRun.Result(0, "", ""), jrun(root(), "delete", "--force", "r"));
        assertTrue(sleep.waitFor(5, TimeUnit.SECONDS), "killed");
        assertFalse(Files.exists(root().resolve("r")));
    }

    @Test
    void killsAndDeletesACreatedContainerWithoutForce() throws Exception {
        sleep = new ProcessBuilder("sleep", "60").start();
        CliRun.plant(root(), "c", ContainerStatus.CREATED, sleep, true, Map.of());
        assertEquals(new CliRun.Result(0, "", ""), jrun(root(), "delete", "c"));
        assertTrue(sleep.waitFor(5, TimeUnit.SECONDS), "killed");
        assertFalse(Files.exists(root().resolve("c")));
    }

    @Test
    void forceOnAMissingContainerSucceedsAsRuncDoes() throws Exception {
        assertEquals(new CliRun.Result(0, "", ""), jrun(root(), "delete", "-f", "ghost"));
        Files.createDirectories(root().resolve("junk"));
        assertEquals(1, jrun(root(), "delete", "junk").exitCode());
        assertEquals(0, jrun(root(), "delete", "-f", "junk").exitCode());
        assertFalse(Files.exists(root().resolve("junk")));
    }

    @Test
    void refusesHostileIdsAndTouchesNothing() throws Exception {
        Files.createDirectories(root());
        Path victim = Files.writeString(tmp.resolve("x"), "not yours");
        for (String id : CliRun.HOSTILE_IDS) {
            for (String force : new String[] {"--force=false", "--force"}) {
                CliRun.Result r = jrun(root(), "delete", force, id);
                assertEquals(1, r.exitCode(), id);
                assertTrue(r.err().contains("invalid container id"), r.err());
            }
        }
        assertEquals("not yours", Files.readString(victim));
        try (Stream<Path> left = Files.list(root())) {
            assertEquals(0, left.count());
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(2, left.count(), "the root and the victim, nothing else");
        }
    }

    @Test
    void usageErrors() {
        assertEquals(ExitCodes.USAGE, jrun(root(), "delete").exitCode());
        assertEquals(ExitCodes.USAGE, jrun(root(), "delete", "a", "b").exitCode());
        assertEquals(ExitCodes.USAGE, jrun(root(), "delete", "--bogus", "a").exitCode());
    }
}
