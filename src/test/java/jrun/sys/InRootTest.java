package jrun.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** InRoot.readFile sizes its buffer by the file, and still reads everything up to the caller's limit. */
class InRootTest {
    @TempDir
    Path root;

    @Test
    void readsAWholeFileOfTheRoot() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        String passwd = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
        Files.writeString(root.resolve("etc/passwd"), passwd);
        assertEquals(passwd, InRoot.readFile(root.toString(), "/etc/passwd", 1 << 20));
    }

    @Test
    void readsAnEmptyFile() throws Exception {
        Files.writeString(root.resolve("empty"), "");
        assertEquals("", InRoot.readFile(root.toString(), "/empty", 1 << 20));
    }

    @Test
    void aFileOfExactlyTheLimitIsReadAndALargerOneIsNot() throws Exception {
        Files.writeString(root.resolve("ten"), "0123456789");
        assertEquals("0123456789", InRoot.readFile(root.toString(), "/ten", 10));
        assertNull(InRoot.readFile(root.toString(), "/ten", 9));
    }

    /** procfs files say size 0: the buffer grows while the read goes on, up to the limit. */
    @Test
    void aFileLongerThanItsStatSizeIsReadWhole() throws Exception {
        String version = Files.readString(Path.of("/proc/version"));
        assertEquals(version, InRoot.readFile("/", "/proc/version", 1 << 20));
        assertEquals(version.substring(0, 20), InRoot.readFile("/", "/proc/version", 20));
    }
}
