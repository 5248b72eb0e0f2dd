package jrun.linux.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import jrun.cli.StatsJson;
import jrun.json.JsonWriter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** runc's stats shape and units from a cgroup's files (stand-in directories), as events prints them. */
class CgroupStatsTest {
    @TempDir
    Path tmp;

    /** The stats as {@code events} prints them, parsed by the tests' reference (Jackson). */
    private static JsonNode rendered(CgroupManager m) {
        return new ObjectMapper().readTree(StatsJson.write(JsonWriter.compact(), CgroupStats.of(m)).toString());
    }

    private static void write(Path dir, String file, String content) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(file), content);
    }

    @Test
    void v2FilesInRuncsV1Units() throws IOException {
        Path d = tmp.resolve("c1");
        write(d, "cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 7\nnr_throttled 3\n"
                + "throttled_usec 20\n");
        write(d, "memory.current", "4096\n");
        write(d, "memory.max", "max\n");
        write(d, "memory.swap.current", "0\n");
        write(d, "memory.swap.max", "0\n");
        write(d, "memory.stat", "file 8192\nanon 4096\n");
        write(d, "memory.events", "low 0\nhigh 0\nmax 2\noom 1\noom_kill 1\n");
        write(d, "pids.current", "3\n");
        write(d, "pids.max", "max\n");
        write(d, "io.stat", "8:0 rbytes=100 wbytes=200 rios=1 wios=2 dbytes=0 dios=0\n");
        CgroupManager m = new CgroupV2(tmp, d);
        JsonNode s = rendered(m);
        assertEquals("{\"total\":1500000,\"kernel\":500000,\"user\":1000000}", s.get("cpu").get("usage").toString());
        assertEquals("{\"periods\":7,\"throttledPeriods\":3,\"throttledTime\":20000}", s.get("cpu").get("throttling").toString());
        assertEquals("{\"limit\":18446744073709551615,\"usage\":4096,\"failcnt\":2}", s.get("memory").get("usage").toString());
        // swap as memory+swap, v1's meaning, as runc reports it: no swap plus unlimited memory
        assertEquals("{\"limit\":18446744073709551615,\"usage\":4096,\"failcnt\":0}", s.get("memory").get("swap").toString());
        assertEquals(8192, s.get("memory").get("cache").asLong());
        assertEquals("{\"anon\":4096,\"file\":8192}", s.get("memory").get("raw").toString());
        assertEquals("{\"current\":3}", s.get("pids").toString());
        assertEquals("[{\"major\":8,\"op\":\"Read\",\"value\":100},{\"major\":8,\"op\":\"Write\",\"value\":200}]",
                s.get("blkio").get("ioServiceBytesRecursive").toString());
        assertEquals("{}", s.get("intel_rdt").toString());
        assertEquals(true, s.get("network_interfaces").isNull());
        assertEquals(1, m.oomKills());
    }

    @Test
    void v1FilesAsRuncReadsThem() throws IOException {
        Path cpuacct = tmp.resolve("cpuacct/c1");
        Path memory = tmp.resolve("memory/c1");
        write(cpuacct, "cpuacct.usage", "300\n");
        write(cpuacct, "cpuacct.usage_percpu", "100 200 \n");
        write(cpuacct, "cpuacct.stat", "user 3\nsystem 1\n");
        write(memory, "memory.usage_in_bytes", "4096\n");
        write(memory, "memory.limit_in_bytes", "33554432\n");
        write(memory, "memory.max_usage_in_bytes", "8192\n");
        write(memory, "memory.failcnt", "5\n");
        write(memory, "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
        write(memory, "memory.stat", "cache 10\nrss 20\n");
        CgroupManager m = new CgroupV1(Map.of("cpuacct", cpuacct, "memory", memory), null);
        JsonNode s = rendered(m);
        assertEquals("{\"total\":300,\"percpu\":[100,200],\"kernel\":10000000,\"user\":30000000}",
                s.get("cpu").get("usage").toString());
        assertEquals("{\"limit\":33554432,\"usage\":4096,\"max\":8192,\"failcnt\":5}", s.get("memory").get("usage").toString());
        assertEquals("{\"limit\":0,\"failcnt\":0}", s.get("memory").get("kernelTCP").toString());
        assertEquals(10, s.get("memory").get("cache").asLong());
        assertEquals("{}", s.get("pids").toString());
        assertEquals(2, m.oomKills());
    }
}
