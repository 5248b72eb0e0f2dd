package jrun.cli;

import static jrun.state.CliRun.jrun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import jrun.base.ExitCodes;
import jrun.state.CliRun;
import jrun.state.ContainerState;
import jrun.state.ContainerStatus;
import jrun.state.StateJson;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class StateCommandTest extends PlantedRootTest {
    @Test
    void printsRuncsStateOfAStoppedContainer() throws Exception {
        ContainerState s = CliRun.plant(root(), "c1", ContainerStatus.RUNNING, null, false, Map.of("k", "v"));
        CliRun.Result r = jrun(root(), "state", "c1");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("""
                {
                  "ociVersion": "1.2.0",
                  "id": "c1",
                  "pid": 0,
                  "status": "stopped",
                  "bundle": "/bundles/c1",
                  "rootfs": "/bundles/c1/rootfs",
                  "created": "%s",
                  "annotations": {
                    "k": "v"
                  },
                  "owner": ""
                }
                """.formatted(StateJson.formatTime(s.created())), r.out());
        assertEquals("", r.err());
    }

    @Test
    void showsTheLiveStatusAndPid() throws Exception {
        sleep = new ProcessBuilder("sleep", "60").start();
        CliRun.plant(root(), "created", ContainerStatus.CREATED, sleep, true, Map.of());
        CliRun.plant(root(), "running", ContainerStatus.CREATED, sleep, false, Map.of());
        JsonNode created = new ObjectMapper().readTree(jrun(root(), "state", "created").out());
        assertEquals("created", created.get("status").asString());
        assertEquals(sleep.pid(), created.get("pid").asLong());
        JsonNode running = new ObjectMapper().readTree(jrun(root(), "state", "running").out());
        assertEquals("running", running.get("status").asString());
        assertFalse(running.has("annotations"));
    }

    @Test
    void aMissingContainerIsRuncsError() {
        CliRun.Result r = jrun(root(), "state", "nope");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("container does not exist: nope"), r.err());
        assertEquals("", r.out());
        assertFalse(Files.exists(root()), "state creates nothing");
    }

    @Test
    void usageErrors() {
        assertEquals(ExitCodes.USAGE, jrun(root(), "state").exitCode());
        assertEquals(ExitCodes.USAGE, jrun(root(), "state", "a", "b").exitCode());
    }

    @Test
    void refusesHostileIdsAndTouchesNothing() throws Exception {
        Files.createDirectories(root());
        for (String id : CliRun.HOSTILE_IDS) {
            CliRun.Result r = jrun(root(), "state", id);
            assertEquals(1, r.exitCode(), id);
            assertTrue(r.err().contains("invalid container id"), r.err());
            assertTrue(r.err().chars().noneMatch(c -> c < 0x20 && c != '\n'), "no raw control character: " + r.err());
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(1, left.count(), "nothing but the root");
        }
        try (Stream<Path> left = Files.list(root())) {
            assertEquals(0, left.count());
        }
    }
}
