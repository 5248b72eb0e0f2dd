package jrun.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFilesTest {
    @TempDir
    Path tmp;

    /** A file standing where a procfs file should be (a bind or a fake /proc) is never written. */
    @Test
    void writesOnlyToProcfs() throws Exception {
        Path fake = tmp.resolve("oom_score_adj");
        Files.writeString(fake, "0\n");
        IOException e = assertThrows(IOException.class, () -> ProcFiles.write(fake, "1000"));
        assertTrue(e.getMessage().contains("not on procfs"), e.getMessage());
        assertEquals("0\n", Files.readString(fake));
    }

    @Test
    void writesAProcfsFileInOneWrite() throws Exception {
        Path own = Path.of("/proc/self/comm");
        String before = ProcFiles.read(own).strip();
        try {
            ProcFiles.write(own, "procfiles-test");
            assertEquals("procfiles-test", ProcFiles.read(own).strip());
        } finally {
            ProcFiles.write(own, before);
        }
    }
    /** Files.readString returns only the first character of these files on JDK 25. */
    @Test
    void readsWholeProcSysValues() throws Exception {
        String value = ProcFiles.read(Path.of("/proc/sys/kernel/pid_max")).strip();
        assertEquals(Integer.toString(Integer.parseInt(value)), value);
        assertEquals(true, Integer.parseInt(value) >= 32768, value);
        int lastCap = Integer.parseInt(ProcFiles.read(Path.of("/proc/sys/kernel/cap_last_cap")).strip());
        assertEquals(true, lastCap >= 36, "cap_last_cap " + lastCap);
    }
}
