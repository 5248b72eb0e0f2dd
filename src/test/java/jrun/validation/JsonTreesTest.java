package jrun.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrun.json.JsonValue;

/** Reading files into trees; the parser itself is tested by jrun.json.JsonReaderTest. */
class JsonTreesTest {
    private static JsonValue parse(String json) {
        return JsonTrees.parse(json.getBytes(), "test.json");
    }

    @Test
    void syntaxErrorsSayLineAndColumn() {
        JsonDocumentException e = assertThrows(JsonDocumentException.class, () -> parse("{\n  \"a\": 1,\n  \"b\": tru\n}"));
        assertEquals("test.json", e.file());
        assertEquals("line 3, column 8: unexpected word \"tru\"; expected a value (strings need double quotes)", e.detail());
        assertEquals("test.json: " + e.detail(), e.getMessage());
    }

    @Test
    void invalidUtf8IsReportedForTheFile() {
        JsonDocumentException e = assertThrows(JsonDocumentException.class,
                () -> JsonTrees.parse(new byte[] {'"', (byte) 0xe9, '"'}, "t"));
        assertEquals("t", e.file());
        assertEquals("is not valid UTF-8 text", e.detail());
    }

    @Test
    void sizeLimitIsEnforcedBeforeReading(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("big.json");
        try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(5L << 20); // sparse: refusing it must not need its content
        }
        JsonDocumentException e = assertThrows(JsonDocumentException.class, () -> JsonTrees.read(file, "big.json", 4L << 20));
        assertEquals(file + " is 5242880 bytes, over the 4 MiB limit; refusing to read it (a runtime configuration is a few kilobytes)",
                e.detail());
        Files.writeString(file, "{\"a\": 1}");
        assertEquals(1, JsonTrees.read(file, "big.json", 8).path("a").asInt());
        JsonDocumentException tiny = assertThrows(JsonDocumentException.class, () -> JsonTrees.read(file, "big.json", 7));
        assertTrue(tiny.detail().contains("over the 7-byte limit"), tiny.detail());
    }

    @Test
    void unreadableFilesAreNamed(@TempDir Path dir) {
        JsonDocumentException missing = assertThrows(JsonDocumentException.class,
                () -> JsonTrees.read(dir.resolve("none.json"), "none.json", 100));
        assertEquals("not found: " + dir.resolve("none.json") + " does not exist", missing.detail());
        JsonDocumentException directory = assertThrows(JsonDocumentException.class, () -> JsonTrees.read(dir, "d.json", 100));
        assertEquals(dir + " is a directory, not a file", directory.detail());
    }
}
