package jrun.json;

import java.util.Map;
import jrun.base.Log;

/** Writes a {@link JsonValue} as compact JSON text (RFC 8259), numbers exactly as they were read. */
public final class JsonText {
    private JsonText() {}

    static void write(JsonValue value, StringBuilder out) {
        // An if chain, not a pattern switch: each pattern switch is bootstrapped at run time by
        // spinning a class (SwitchBootstraps), which the AOT cache does not keep, and create
        // writes JSON on every container's critical path.
        if (value.isObject()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonValue> e : value.properties()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(e.getKey(), out);
                out.append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else if (value.isArray()) {
            out.append('[');
            boolean first = true;
            for (JsonValue element : value) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(element, out);
            }
            out.append(']');
        } else if (value.isString()) {
            string(value.stringValue(), out);
        } else if (value.isNumber()) {
            out.append(((JsonValue.NumberValue) value).literal());
        } else if (value.isBoolean()) {
            out.append(value.booleanValue());
        } else if (value.isNull()) {
            out.append("null");
        }
        // A missing value writes nothing, as a JsonNode's MissingNode prints.
    }

    /** {@code s} as a JSON string literal, e.g. for messages that quote a value. */
    public static String quote(String s) {
        return Log.quote(s);
    }

    static void string(String s, StringBuilder out) {
        Log.appendQuoted(s, out);
    }
}
