package jrun.cli;

import static jrun.state.CliRun.jrun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jrun.base.ExitCodes;
import jrun.state.CliRun;
import jrun.state.ContainerState;
import jrun.state.ContainerStatus;
import jrun.state.StateJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class ListCommandTest {
    @TempDir
    Path root;
    Process sleep;

    @AfterEach
    void killSleep() {
        if (sleep != null) {
            sleep.destroyForcibly();
        }
    }

    @Test
    void anEmptyRootListsAsRuncDoes() {
        Path none = root.resolve("none");
        assertEquals(new CliRun.Result(0, "ID          PID         STATUS      BUNDLE      CREATED     OWNER\n", ""),
                jrun(none, "list"));
        assertEquals(new CliRun.Result(0, "null\n", ""), jrun(none, "list", "-f", "json"));
        assertEquals(new CliRun.Result(0, "", ""), jrun(none, "list", "--quiet"));
        assertTrue(!Files.exists(none));
    }

    @Test
    void tableIsAlignedLikeGosTabwriter() {
        assertEquals("""
                ID          PID         STATUS      BUNDLE              CREATED                          OWNER
                c1          4687        created     /tmp/state-runc/b   2026-11-26T20:35:34.332441598Z   root
                """, ListCommand.table(List.of(
                List.of("ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"),
                List.of("c1", "4687", "created", "/tmp/state-runc/b", "2026-11-26T20:35:34.332441598Z", "root"))));
        // A wide first column widens it for every row; the last column is never padded.
        assertEquals("ID" + " ".repeat(18) + "X\nlong-container-id   Y\n",
                ListCommand.table(List.of(List.of("ID", "X"), List.of("long-container-id", "Y"))));
    }

    @Test
    void listsEveryContainerWithItsLiveStatus() throws Exception {
        sleep = new ProcessBuilder("sleep", "60").start();
        ContainerState b = CliRun.plant(root, "b-running", ContainerStatus.RUNNING, sleep, false, Map.of("x", "y"));
        ContainerState a = CliRun.plant(root, "a-stopped", ContainerStatus.RUNNING, null, false, Map.of());
        CliRun.plant(root, "c-created", ContainerStatus.CREATED, sleep, true, Map.of());
        String owner = System.getProperty("user.name");

        CliRun.Result table = jrun(root, "list");
        assertEquals(0, table.exitCode(), table.err());
        List<String> lines = table.out().lines().toList();
        assertEquals(4, lines.size(), table.out());
        String created = StateJson.formatTime(a.created());
        assertEquals(List.of("a-stopped", "0", "stopped", "/bundles/a-stopped", created, owner), cells(lines.get(1)));
        assertEquals(List.of("b-running", Long.toString(sleep.pid()), "running", "/bundles/b-running",
                StateJson.formatTime(b.created()), owner), cells(lines.get(2)));
        assertEquals("created", cells(lines.get(3)).get(2));
        // Every row's cells start where the header's do.
        int[] starts = {0, lines.get(0).indexOf("PID"), lines.get(0).indexOf("STATUS"), lines.get(0).indexOf("BUNDLE"),
                lines.get(0).indexOf("CREATED"), lines.get(0).indexOf("OWNER")};
        for (String line : lines) {
            for (int i = 1; i < starts.length; i++) {
                assertEquals(' ', line.charAt(starts[i] - 1), table.out());
                assertTrue(line.charAt(starts[i]) != ' ', table.out());
            }
        }

        assertEquals(new CliRun.Result(0, "a-stopped\nb-running\nc-created\n", ""), jrun(root, "list", "-q"));

        CliRun.Result json = jrun(root, "list", "--format=json");
        JsonNode array = new ObjectMapper().readTree(json.out());
        assertEquals(3, array.size());
        assertEquals("b-running", array.get(1).get("id").asString());
        assertEquals("running", array.get(1).get("status").asString());
        assertEquals(sleep.pid(), array.get(1).get("pid").asLong());
        assertEquals("y", array.get(1).get("annotations").get("x").asString());
        assertEquals(owner, array.get(1).get("owner").asString());
        assertEquals(StateJson.formatTime(b.created()), array.get(1).get("created").asString());
        assertEquals(List.of("ociVersion", "id", "pid", "status", "bundle", "rootfs", "created", "owner"),
                List.copyOf(array.get(0).propertyNames()));
    }

    private static List<String> cells(String line) {
        return List.of(line.split(" {3,}"));
    }

    @Test
    void aDirectoryThatIsNotAContainerIsReportedAndSkipped() throws Exception {
        CliRun.plant(root, "ok", ContainerStatus.RUNNING, null, false, Map.of());
        Files.createDirectory(root.resolve("junk"));
        CliRun.Result r = jrun(root, "list", "-q");
        assertEquals(0, r.exitCode());
        assertEquals("ok\n", r.out());
        assertTrue(r.err().contains("load container junk: container does not exist"), r.err());
    }

    @Test
    void refusesAnUnknownFormat() {
        CliRun.Result r = jrun(root, "list", "-f", "xml");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().contains("invalid format option \\\"xml\\\""), r.err());
        assertEquals(ExitCodes.USAGE, jrun(root, "list", "extra").exitCode());
    }
}
