package jrun.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import tools.jackson.databind.JsonNode;

class JsonTreesTest {
    private static JsonNode parse(String json) {
        return JsonTrees.parse(json.getBytes(), "test.json");
    }

    @Test
    void buildsTheSameTreeAsTheDocument() {
        JsonNode n = parse("{\"s\": \"x\\\"y\", \"i\": 7, \"l\": 9000000000, \"u\": 18446744073709551615,"
                + " \"d\": 1.5, \"b\": [true, false, null], \"o\": {}}");
        assertEquals("x\"y", n.path("s").stringValue());
        assertEquals(7, n.path("i").intValue());
        assertEquals(9_000_000_000L, n.path("l").longValue());
        assertEquals(new BigInteger("18446744073709551615"), n.path("u").bigIntegerValue());
        assertTrue(n.path("d").isDouble());
        assertEquals(3, n.path("b").size());
        assertTrue(n.path("b").path(2).isNull());
        assertTrue(n.path("o").isObject());
        assertEquals(java.util.List.of("s", "i", "l", "u", "d", "b", "o"), java.util.List.copyOf(n.propertyNames()));
    }

    @Test
    void stringNodesPrintAsJsonWithoutDatabind() {
        JsonNode n = parse("[\"a\\\"b\\\\c\\n\"]");
        assertEquals("\"a\\\"b\\\\c\\n\"", n.path(0).toString());
        // equal to Jackson's own string nodes, so trees can be compared and merged freely
        assertEquals(tools.jackson.databind.node.JsonNodeFactory.instance.stringNode("a\"b\\c\n"), n.path(0));
    }

    @Test
    void syntaxErrorsSayLineAndColumn() {
        JsonDocumentException e = assertThrows(JsonDocumentException.class, () -> parse("{\n  \"a\": 1,\n  \"b\": tru\n}"));
        assertEquals("test.json", e.file());
        assertEquals("line 3, column 8: unexpected word \"tru\"; expected a value (strings need double quotes)", e.detail());
        assertEquals("test.json: " + e.detail(), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"a\": [1, 2                | line 1, column 12: expected ',' or ']' in an array, found the end of the document",
        "{\"a\": [1, 2,]}             | line 1, column 13: a comma before ] is not allowed in JSON",
        "{\"a\" 1}                    | line 1, column 6: expected ':' after property name \"a\", found character '1'",
        "{\"a\": 01}                  | line 1, column 8: numbers must not have leading zeros",
        "{\"a\": -}                   | line 1, column 8: expected a digit after '-'",
        "{\"a\": 1.}                  | line 1, column 9: expected a digit after the decimal point",
        "{\"a\": 1e}                  | line 1, column 9: expected a digit in the exponent",
        "{\"a\": \"x\\q\"}            | line 1, column 9: invalid escape \\q in a string",
        "{\"a\": \"\\u12G4\"}           | line 1, column 8: \\u must be followed by four hexadecimal digits",
        "{\"a\": \"open}              | line 1, column 7: string is not closed: missing \"",
        "{\"a\": +1}                  | line 1, column 7: unexpected character '+'; expected a value (object, array, string, number, true, false or null)",
        "`   `                       | is empty; expected a JSON object",
    })
    void malformedDocumentsAreExplained(String json, String expected) {
        JsonDocumentException e = assertThrows(JsonDocumentException.class, () -> parse(json.strip()));
        assertEquals(expected, e.detail());
    }

    @Test
    void rawControlCharactersInStringsAreRefused() {
        JsonDocumentException e = assertThrows(JsonDocumentException.class, () -> parse("[\"a\tb\"]"));
        assertEquals("line 1, column 4: control character character U+0009 in a string must be escaped", e.detail());
    }

    @Test
    void escapesAndUnicodeAreDecoded() {
        JsonNode n = parse("[\"\\u00e9\\ud83d\\ude00\\/\\b\\f\\n\\r\\t\", \"caf\u00e9\"]");
        assertEquals("\u00e9\ud83d\ude00/\b\f\n\r\t", n.path(0).stringValue());
        assertEquals("caf\u00e9", n.path(1).stringValue());
        assertEquals(1, JsonTrees.parse("\uFEFF{\"a\": 1}".getBytes(java.nio.charset.StandardCharsets.UTF_8), "t").path("a").intValue());
        JsonDocumentException e = assertThrows(JsonDocumentException.class,
                () -> JsonTrees.parse(new byte[] {'"', (byte) 0xe9, '"'}, "t"));
        assertEquals("is not valid UTF-8 text", e.detail());
    }

    @Test
    void numbersGetTheNarrowestNode() {
        JsonNode n = parse("[2147483647, 2147483648, -9223372036854775808, 9223372036854775808, -0, 1E3, -1.25e-2]");
        assertTrue(n.path(0).isInt());
        assertTrue(n.path(1).isLong());
        assertTrue(n.path(2).isLong());
        assertTrue(n.path(3).isBigInteger());
        assertTrue(n.path(4).isInt());
        assertEquals(1000.0, n.path(5).doubleValue());
        assertEquals(-0.0125, n.path(6).doubleValue());
    }

    @Test
    void repeatedNamesKeepTheLastValueAsGoDoes() {
        assertEquals(2, parse("{\"a\": 1, \"a\": 2}").path("a").intValue());
    }

    @Test
    void deepNestingIsRefusedNotACrash() {
        String deep = "[".repeat(JsonReader.MAX_DEPTH + 1) + "]".repeat(JsonReader.MAX_DEPTH + 1);
        JsonDocumentException e = assertThrows(JsonDocumentException.class, () -> parse(deep));
        assertEquals("line 1, column " + (JsonReader.MAX_DEPTH + 1) + ": nested more than " + JsonReader.MAX_DEPTH
                + " levels deep", e.detail());
        String ok = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
        assertTrue(parse(ok).isArray());
    }

    @Test
    void contentAfterTheDocumentIsRefused() {
        JsonDocumentException e = assertThrows(JsonDocumentException.class, () -> parse("{} {}"));
        assertEquals("line 1, column 4: unexpected content after the end of the JSON document", e.detail());
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
        assertEquals(1, JsonTrees.read(file, "big.json", 8).path("a").intValue());
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
