package jrun.json;

import java.util.Map;
import jrun.base.Log;

/**
 * Writes JSON text as Go's encoding/json does, for everything jrun prints (state, list,
 * features, events, spec, JSON logs, hooks' stdin) and the files it writes: engines and scripts
 * compare jrun's output with runc's byte for byte. So, as Go (runc 1.1's Go 1.19):
 * <ul>
 *   <li>strings as {@link Log#appendQuoted} writes them, HTML escaped as json.Marshal does
 *       (except in {@link #toText});</li>
 *   <li>indented output is {@code MarshalIndent(v, "", indent)}'s: {@code "name": value}, one
 *       member or element per line, and {@code {}} and {@code []} for empty ones.</li>
 * </ul>
 * Hand-written, with no JSON library: create and run write JSON on every container's path,
 * and a library's class initialisation costs more than the writing.
 */
public final class JsonWriter {
    private final StringBuilder out;
    private final String indent;
    private final boolean escapeHtml;
    /** Per open container: whether nothing is in it yet. */
    private boolean[] empty = new boolean[16];
    private int depth;
    private boolean afterName;

    private JsonWriter(String indent, boolean escapeHtml, int capacity) {
        this.out = new StringBuilder(capacity);
        this.indent = indent;
        this.escapeHtml = escapeHtml;
    }

    /** Go's {@code json.Marshal}: compact, HTML escaped. */
    public static JsonWriter compact() {
        return new JsonWriter(null, true, 256);
    }

    /** Go's {@code json.MarshalIndent(v, "", indent)}, HTML escaped. */
    public static JsonWriter indented(String indent) {
        return new JsonWriter(indent, true, 1024);
    }

    /** {@code value} as compact JSON text, numbers exactly as they were read, without the HTML escaping. */
    public static String toText(JsonValue value) {
        return new JsonWriter(null, false, 256).value(value).toString();
    }

    public JsonWriter beginObject() {
        return open('{');
    }

    public JsonWriter endObject() {
        return close('}');
    }

    public JsonWriter beginArray() {
        return open('[');
    }

    public JsonWriter endArray() {
        return close(']');
    }

    /** The name of the next member of the current object. */
    public JsonWriter name(String name) {
        separate();
        string(name);
        out.append(indent == null ? ":" : ": ");
        afterName = true;
        return this;
    }

    /** A string, or {@code null}. */
    public JsonWriter value(String value) {
        separate();
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        return this;
    }

    public JsonWriter value(long value) {
        separate();
        out.append(value);
        return this;
    }

    /** A Go uint64: negative longs are the values above Long.MAX_VALUE in two's complement. */
    public JsonWriter unsignedValue(long value) {
        separate();
        out.append(Long.toUnsignedString(value));
        return this;
    }

    public JsonWriter value(boolean value) {
        separate();
        out.append(value);
        return this;
    }

    public JsonWriter nullValue() {
        separate();
        out.append("null");
        return this;
    }

    /**
     * A read or built tree, numbers as they were written; a missing value writes nothing. An if
     * chain, not a pattern switch: each pattern switch spins a class at run time, which the AOT
     * cache does not keep.
     */
    public JsonWriter value(JsonValue value) {
        if (value.isObject()) {
            beginObject();
            for (Map.Entry<String, JsonValue> e : value.properties()) {
                name(e.getKey()).value(e.getValue());
            }
            endObject();
        } else if (value.isArray()) {
            beginArray();
            for (JsonValue element : value) {
                value(element);
            }
            endArray();
        } else if (value.isString()) {
            value(value.stringValue());
        } else if (value.isNumber()) {
            separate();
            out.append(((JsonValue.NumberValue) value).literal());
        } else if (value.isBoolean()) {
            value(value.booleanValue());
        } else if (value.isNull()) {
            nullValue();
        }
        return this;
    }

    public JsonWriter property(String name, String value) {
        return name(name).value(value);
    }

    public JsonWriter property(String name, long value) {
        return name(name).value(value);
    }

    public JsonWriter property(String name, boolean value) {
        return name(name).value(value);
    }

    /** An object of strings, in the map's order (Go sorts a map's keys: give a sorted map). */
    public JsonWriter property(String name, Map<String, String> members) {
        name(name).beginObject();
        for (Map.Entry<String, String> e : members.entrySet()) {
            property(e.getKey(), e.getValue());
        }
        return endObject();
    }

    /** The text written so far. */
    @Override
    public String toString() {
        return out.toString();
    }

    private JsonWriter open(char bracket) {
        separate();
        out.append(bracket);
        if (depth == empty.length) {
            empty = java.util.Arrays.copyOf(empty, depth * 2);
        }
        empty[depth++] = true;
        return this;
    }

    private JsonWriter close(char bracket) {
        depth--;
        if (!empty[depth]) {
            newline(depth);
        }
        out.append(bracket);
        return this;
    }

    /** Before a name or a value: the comma and line break that go before it, unless a name precedes it. */
    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth == 0) {
            return;
        }
        if (!empty[depth - 1]) {
            out.append(',');
        }
        empty[depth - 1] = false;
        newline(depth);
    }

    private void newline(int level) {
        if (indent != null) {
            out.append('\n');
            for (int i = 0; i < level; i++) {
                out.append(indent);
            }
        }
    }

    private void string(String s) {
        Log.appendQuoted(s, out, escapeHtml);
    }
}
