package jrun.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import jrun.base.Log;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

/** Go's encoding/json output, as runc 1.1.5 prints it here. */
class JsonWriterTest {
    /** An annotation key and value with every kind of character Go escapes, and some it does not. */
    private static final String KEY = "k<&>";
    private static final String VALUE = "v <b>&\u2028\u2029 \b\f\u0001\t\n\"\\ é 😀";

    @Test
    void stringsAreEscapedAsRuncPrintsThem() {
        // `runc state` of a container with this annotation printed exactly this member.
        String runc = "\"k\\u003c\\u0026\\u003e\": \"v \\u003cb\\u003e\\u0026\\u2028\\u2029 \\u0008\\u000c\\u0001\\t\\n\\\"\\\\ é 😀\"";
        String written = JsonWriter.indented("  ").beginObject().property(KEY, VALUE).endObject().toString();
        assertEquals("{\n  " + runc + "\n}", written);
        assertEquals(Map.of(KEY, VALUE), new ObjectMapper().readValue(written, Map.class), "Jackson reads it back");
    }

    @Test
    void anUnpairedSurrogateBecomesTheReplacementCharacterAsGoWritesInvalidUtf8() {
        assertEquals("[\"a\\ufffdb\\ufffd\",\"😀\"]",
                JsonWriter.compact().beginArray().value("a\ud800b\udc00").value("😀").endArray().toString());
    }

    @Test
    void quotingForMessagesLeavesHtmlCharactersAlone() {
        assertEquals("\"<a & b>\\n\"", Log.quote("<a & b>\n"));
    }

    @Test
    void indentationIsMarshalIndents() {
        String written = JsonWriter.indented("\t").beginObject()
                .property("a", 1)
                .name("empty").beginObject().endObject()
                .name("none").beginArray().endArray()
                .name("list").beginArray().value(true).nullValue().beginObject().property("x", "y").endObject().endArray()
                .name("max").unsignedValue(-1)
                .endObject().toString();
        assertEquals("""
                {
                \t"a": 1,
                \t"empty": {},
                \t"none": [],
                \t"list": [
                \t\ttrue,
                \t\tnull,
                \t\t{
                \t\t\t"x": "y"
                \t\t}
                \t],
                \t"max": 18446744073709551615
                }""", written);
    }

    @Test
    void compactHasNoSpaces() {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("b", "2");
        annotations.put("a", "1");
        assertEquals("{\"id\":\"x\",\"pid\":-3,\"a\":{\"b\":\"2\",\"a\":\"1\"},\"e\":[]}", JsonWriter.compact().beginObject()
                .property("id", "x").property("pid", -3).property("a", annotations).name("e").beginArray().endArray()
                .endObject().toString());
    }

    @Test
    void aReadTreeIsWrittenWithItsNumbersAsTheyWere() throws Exception {
        JsonValue tree = JsonReader.read("{\"n\": [1.50, 1e3, 18446744073709551616, -0], \"s\": \"<\"}".getBytes());
        assertEquals("{\"n\":[1.50,1e3,18446744073709551616,-0],\"s\":\"\\u003c\"}",
                JsonWriter.compact().value(tree).toString());
        assertEquals("{\"n\":[1.50,1e3,18446744073709551616,-0],\"s\":\"<\"}", tree.toString(), "toString: no HTML escaping");
    }
}
