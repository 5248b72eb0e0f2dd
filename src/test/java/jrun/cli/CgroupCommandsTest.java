package jrun.cli;

import static jrun.state.CliRun.jrun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jrun.base.CliException;
import jrun.base.JrunException;
import jrun.state.CliRun;
import jrun.state.ContainerState;
import jrun.state.ContainerStatus;
import jrun.state.ProcStat;
import jrun.state.StateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * ps, pause, resume, update and events through the CLI, on containers planted in a state root
 * whose cgroup is a directory standing in for a cgroup v2 one (the kernel's own cgroups are
 * exercised by the Cgroup*IT integration tests).
 */
class CgroupCommandsTest {
    @TempDir
    Path tmp;
    private Process sleep;

    @AfterEach
    void stop() {
        if (sleep != null) {
            sleep.destroyForcibly();
        }
    }

    private Path root() {
        return tmp.resolve("root");
    }

    /** A container whose process is a live {@code sleep} (or a long-gone pid) and whose cgroup is {@code cg}. */
    private Path plant(boolean alive, ContainerStatus saved) throws Exception {
        Path cg = tmp.resolve("cg/c1");
        Files.createDirectories(cg);
        int pid = Integer.MAX_VALUE - 1;
        long start = 1;
        if (alive) {
            sleep = new ProcessBuilder("sleep", "60").start();
            pid = (int) sleep.pid();
            start = ProcStat.read(pid).startTime();
        }
        ContainerState s = ContainerState.creating("1.2.0", "c1", "/b", "/b/rootfs", Map.of()).withStatus(saved)
                .withProcess(pid, start).withCgroups("/cg/c1", Map.of("unified", cg.toString()));
        new StateStore(root()).create(s).close();
        Files.writeString(cg.resolve("cgroup.procs"), pid + "\n");
        return cg;
    }

    private String status() {
        return new ObjectMapper().readTree(jrun(root(), "state", "c1").out()).get("status").asString();
    }

    @Test
    void psJsonListsThePidsOfTheCgroupAndTheCgroupsBelowIt() throws Exception {
        Path cg = plant(true, ContainerStatus.RUNNING);
        Files.createDirectories(cg.resolve("inner"));
        Files.writeString(cg.resolve("inner/cgroup.procs"), "77\n");
        CliRun.Result r = jrun(root(), "ps", "--format", "json", "c1");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("[" + sleep.pid() + ",77]\n", r.out());
        assertEquals(2, jrun(root(), "ps", "-f", "yaml", "c1").exitCode());
    }

    @Test
    void psTableKeepsTheHeaderAndTheContainersLines() {
        String ps = """
                UID          PID    PPID  C STIME TTY          TIME CMD
                root           1       0  0 10:00 ?        00:00:01 /sbin/init
                root          12       1  0 10:00 ?        00:00:00 sleep 100
                root         123       1  0 10:00 ?        00:00:00 sh
                """;
        assertEquals("""
                UID          PID    PPID  C STIME TTY          TIME CMD
                root          12       1  0 10:00 ?        00:00:00 sleep 100
                """, PsCommand.filter(ps, Set.of(12)));
        JrunException e = assertThrows(JrunException.class, () -> PsCommand.filter("USER COMMAND\nroot sh\n", Set.of(1)));
        assertEquals("couldn't find PID field in ps output", e.getMessage());
    }

    @Test
    void pauseFreezesTheCgroupAndStateSaysPausedUntilResume() throws Exception {
        Path cg = plant(true, ContainerStatus.RUNNING);
        Files.writeString(cg.resolve("cgroup.freeze"), "0\n");
        Files.writeString(cg.resolve("cgroup.events"), "populated 1\nfrozen 1\n");
        assertEquals("container not paused", jrun(root(), "resume", "c1").err().lines().toList().getLast()
                .replaceAll(".*msg=\"(.*)\"", "$1"));
        assertEquals(0, jrun(root(), "pause", "c1").exitCode());
        assertEquals("1", Files.readString(cg.resolve("cgroup.freeze")));
        assertEquals("paused", status());
        assertEquals(1, jrun(root(), "pause", "c1").exitCode());
        assertEquals(0, jrun(root(), "resume", "c1").exitCode());
        assertEquals("0", Files.readString(cg.resolve("cgroup.freeze")));
        assertEquals("running", status());
    }

    @Test
    void updateWritesTheNewLimitsAndRefusesBadOnesNamingThem() throws Exception {
        Path cg = plant(true, ContainerStatus.RUNNING);
        for (String f : List.of("memory.max", "memory.swap.max", "pids.max", "cpu.max")) {
            Files.writeString(cg.resolve(f), "max\n");
        }
        CliRun.Result ok = jrun(root(), "update", "--memory", "64m", "--memory-swap", "96m", "--pids-limit", "20", "c1");
        assertEquals(0, ok.exitCode(), ok.err());
        assertEquals("67108864", Files.readString(cg.resolve("memory.max")));
        assertEquals("33554432", Files.readString(cg.resolve("memory.swap.max")));
        assertEquals("20", Files.readString(cg.resolve("pids.max")));
        CliRun.Result quota = jrun(root(), "update", "--cpu-quota", "10", "c1");
        assertEquals(1, quota.exitCode());
        assertTrue(quota.err().contains("update: linux.resources/cpu/quota: 10 µs is below the kernel's minimum"), quota.err());
        assertEquals("max\n", Files.readString(cg.resolve("cpu.max")));
        assertTrue(jrun(root(), "update", "--memory", "64x", "c1").err().contains("invalid value \\\"64x\\\" for --memory"));
        Path json = tmp.resolve("r.json");
        Files.writeString(json, "{\"pids\": {\"limit\": 30}, \"memory\": {\"limit\": \"x\"}}");
        CliRun.Result doc = jrun(root(), "update", "-r", json.toString(), "c1");
        assertTrue(doc.err().contains(json + ": /memory/limit"), doc.err());
        Files.writeString(json, "{\"pids\": {\"limit\": 30}}");
        assertEquals(0, jrun(root(), "update", "-r", json.toString(), "--pids-limit", "5", "c1").exitCode());
        assertEquals("30", Files.readString(cg.resolve("pids.max")));
    }

    @Test
    void eventsStatsPrintsOneEventInRuncsShape() throws Exception {
        Path cg = plant(true, ContainerStatus.RUNNING);
        Files.writeString(cg.resolve("cpu.stat"), "usage_usec 10\nuser_usec 6\nsystem_usec 4\n");
        Files.writeString(cg.resolve("pids.current"), "1\n");
        Files.writeString(cg.resolve("pids.max"), "10\n");
        CliRun.Result r = jrun(root(), "events", "--stats", "c1");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(1, r.out().lines().count());
        JsonNode e = new ObjectMapper().readTree(r.out());
        assertEquals("stats", e.get("type").asString());
        assertEquals("c1", e.get("id").asString());
        assertEquals(List.of("cpu", "cpuset", "memory", "pids", "blkio", "hugetlb", "intel_rdt", "network_interfaces"),
                List.copyOf(e.get("data").propertyNames()));
        assertEquals(10_000, e.get("data").get("cpu").get("usage").get("total").asLong());
        assertEquals("{\"current\":1,\"limit\":10}", e.get("data").get("pids").toString());
    }

    @Test
    void eventsOfAStoppedContainerReportItsOomKills() throws Exception {
        Path cg = plant(false, ContainerStatus.RUNNING);
        Files.writeString(cg.resolve("memory.events"), "oom 0\noom_kill 0\n");
        CliRun.Result none = jrun(root(), "events", "c1");
        assertEquals(1, none.exitCode());
        assertTrue(none.err().contains("container with id c1 is not running"), none.err());
        Files.writeString(cg.resolve("memory.events"), "oom 1\noom_kill 1\n");
        CliRun.Result oom = jrun(root(), "events", "c1");
        assertEquals(0, oom.exitCode(), oom.err());
        assertEquals("{\"type\":\"oom\",\"id\":\"c1\"}\n", oom.out());
    }

    @Test
    void durationsAndSizesAreReadAsRuncReadsThem() throws IOException {
        assertEquals(5_000_000_000L, EventsCommand.parseDuration("5s"));
        assertEquals(100_000_000L, EventsCommand.parseDuration("100ms"));
        assertEquals(90_000_000_000L, EventsCommand.parseDuration("1m30s"));
        assertEquals(1_500_000_000L, EventsCommand.parseDuration("1.5s"));
        for (String bad : List.of("5", "x", "", "0s", "5 s")) {
            assertThrows(CliException.class, () -> EventsCommand.parseDuration(bad), bad);
        }
        List<Flag> flags = new UpdateCommand().flags();
        Map<String, Long> sizes = Map.of("67108864", 67108864L, "64m", 67108864L, "64MB", 67108864L, "64MiB", 67108864L,
                "1g", 1L << 30, "1.5k", 1536L, "-1", -1L, "100b", 100L);
        sizes.forEach((in, expected) -> assertEquals(expected,
                UpdateCommand.bytes(Args.parse("update", flags, List.of("--memory", in, "c1")), "memory"), in));
        assertThrows(CliException.class, () -> UpdateCommand.bytes(Args.parse("update", flags, List.of("--memory", "64x",
                "c1")), "memory"));
    }
}
