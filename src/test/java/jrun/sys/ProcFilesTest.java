package jrun.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcFilesTest {
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
