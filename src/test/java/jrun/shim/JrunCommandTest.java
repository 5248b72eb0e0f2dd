package jrun.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task error taken from a fresh jrun's JSON log (runc's --log-format json lines). */
class JrunCommandTest {
    @TempDir
    Path tmp;

    @Test
    void theLastErrorOfTheLogIsTheMessage() throws IOException {
        Path log = tmp.resolve("log.json");
        Files.writeString(log, """
                {"level":"warning","msg":"a warning","time":"2026-12-08T01:00:00Z"}
                {"level":"error","msg":"first error","time":"2026-12-08T01:00:00Z"}
                {"level":"error","msg":"exec failed: \\"/x\\": ENOENT","time":"2026-12-08T01:00:01Z"}
                {"level":"warning","msg":"after it","time":"2026-12-08T01:00:02Z"}
                """);
        assertEquals("exec failed: \"/x\": ENOENT", JrunCommand.errorIn(log, "fallback"));
    }

    @Test
    void withoutAnErrorEntryTheFallbackIsTheMessage() throws IOException {
        Path log = tmp.resolve("log.json");
        Files.writeString(log, "not json\n{\"level\":\"warning\",\"msg\":\"w\"}\n[1,2]\n");
        assertEquals("jrun exec exited with status 1", JrunCommand.errorIn(log, "jrun exec exited with status 1"));
        assertEquals("none", JrunCommand.errorIn(tmp.resolve("missing.json"), "none"));
    }
}
