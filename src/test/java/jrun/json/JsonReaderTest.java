package jrun.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonReaderTest {
    private static JsonValue parse(String json) throws JsonReader.SyntaxError {
        return JsonReader.read(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The message of the syntax error that reading {@code json} raises. */
    private static String error(String json) {
        return error(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String error(byte[] json) {
        return assertThrows(JsonReader.SyntaxError.class, () -> JsonReader.read(json)).getMessage();
    }

    @Test
    void buildsTheSameTreeAsTheDocument() throws Exception {
        JsonValue n = parse("{\"s\": \"x\\\"y\", \"i\": 7, \"l\": 9000000000, \"u\": 18446744073709551615,"
                + " \"d\": 1.5, \"b\": [true, false, null], \"o\": {}}");
        assertEquals("x\"y", n.path("s").stringValue());
        assertEquals(7, n.path("i").asInt());
        assertEquals(9_000_000_000L, n.path("l").longValue());
        assertEquals(new BigInteger("18446744073709551615"), n.path("u").bigIntegerValue());
        assertTrue(n.path("d").isNumber() && !n.path("d").isIntegralNumber());
        assertEquals(1.5, n.path("d").doubleValue());
        assertEquals(3, n.path("b").size());
        assertTrue(n.path("b").path(2).isNull());
        assertTrue(n.path("o").isObject());
        assertEquals(java.util.List.of("s", "i", "l", "u", "d", "b", "o"), java.util.List.copyOf(n.propertyNames()));
    }

    @Test
    void stringNodesPrintAsJson() throws Exception {
        JsonValue n = parse("[\"a\\\"b\\\\c\\n\"]");
        assertEquals("\"a\\\"b\\\\c\\n\"", n.path(0).toString());
        // equal to strings built in code, so trees can be compared freely
        assertEquals(JsonValue.string("a\"b\\c\n"), n.path(0));
    }

    @Test
    void syntaxErrorsSayLineAndColumn() {
        assertEquals("line 3, column 8: unexpected word \"tru\"; expected a value (strings need double quotes)",
                error("{\n  \"a\": 1,\n  \"b\": tru\n}"));
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
        assertEquals(expected, error(json.strip()));
    }

    @Test
    void rawControlCharactersInStringsAreRefused() {
        assertEquals("line 1, column 4: control character character U+0009 in a string must be escaped", error("[\"a\tb\"]"));
    }

    @Test
    void escapesAndUnicodeAreDecoded() throws Exception {
        JsonValue n = parse("[\"\\u00e9\\ud83d\\ude00\\/\\b\\f\\n\\r\\t\", \"caf\u00e9\"]");
        assertEquals("\u00e9\ud83d\ude00/\b\f\n\r\t", n.path(0).stringValue());
        assertEquals("caf\u00e9", n.path(1).stringValue());
        assertEquals(1, parse("\uFEFF{\"a\": 1}").path("a").asInt());
        assertEquals("is not valid UTF-8 text", error(new byte[] {'"', (byte) 0xe9, '"'}));
    }

    @Test
    void numbersGetTheNarrowestNode() throws Exception {
        JsonValue n = parse("[2147483647, 2147483648, -9223372036854775808, 9223372036854775808, -0, 1E3, -1.25e-2]");
        // an int
        assertTrue(n.path(0).isIntegralNumber() && n.path(0).canConvertToInt());
        assertEquals(2147483647, n.path(0).asInt());
        // a long, not an int
        assertTrue(n.path(1).canConvertToLong() && !n.path(1).canConvertToInt());
        assertEquals(2147483648L, n.path(1).longValue());
        assertTrue(n.path(2).canConvertToLong() && !n.path(2).canConvertToInt() && !n.path(2).isBigInteger());
        assertEquals(Long.MIN_VALUE, n.path(2).longValue());
        // past 64 bits
        assertTrue(n.path(3).isBigInteger() && !n.path(3).canConvertToLong());
        assertEquals(new BigInteger("9223372036854775808"), n.path(3).bigIntegerValue());
        assertTrue(n.path(4).isIntegralNumber() && n.path(4).canConvertToInt());
        assertEquals(0, n.path(4).asInt());
        assertFalse(n.path(5).isIntegralNumber());
        assertEquals(1000.0, n.path(5).doubleValue());
        assertEquals(-0.0125, n.path(6).doubleValue());
    }

    @Test
    void nineteenDigitIntegersAreLongsExactlyUpToTheLongBounds() throws Exception {
        JsonValue n = parse("[9223372036854775807, -9223372036854775809, 1000000000000000000, 9999999999999999999]");
        assertTrue(n.path(0).canConvertToLong() && !n.path(0).isBigInteger());
        assertEquals(Long.MAX_VALUE, n.path(0).longValue());
        assertTrue(n.path(1).isBigInteger() && !n.path(1).canConvertToLong());
        assertEquals(new BigInteger("-9223372036854775809"), n.path(1).bigIntegerValue());
        assertEquals(1_000_000_000_000_000_000L, n.path(2).longValue());
        assertTrue(n.path(3).isBigInteger());
        assertEquals(new BigInteger("9999999999999999999"), n.path(3).bigIntegerValue());
    }

    @Test
    void repeatedNamesKeepTheLastValueAsGoDoes() throws Exception {
        assertEquals(2, parse("{\"a\": 1, \"a\": 2}").path("a").asInt());
    }

    @Test
    void deepNestingIsRefusedNotACrash() throws Exception {
        String deep = "[".repeat(JsonReader.MAX_DEPTH + 1) + "]".repeat(JsonReader.MAX_DEPTH + 1);
        assertEquals("line 1, column " + (JsonReader.MAX_DEPTH + 1) + ": nested more than " + JsonReader.MAX_DEPTH
                + " levels deep", error(deep));
        String ok = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
        assertTrue(parse(ok).isArray());
    }

    @Test
    void contentAfterTheDocumentIsRefused() {
        assertEquals("line 1, column 4: unexpected content after the end of the JSON document", error("{} {}"));
    }
}
