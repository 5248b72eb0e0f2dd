package jrun.json;

import java.util.Map;

/** Writes a {@link JsonValue} as compact JSON text (RFC 8259), numbers exactly as they were read. */
public final class JsonText {
    private static final String HEX = "0123456789abcdef";

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
        StringBuilder b = new StringBuilder(s.length() + 2);
        string(s, b);
        return b.toString();
    }

    static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        // Not String.format: its first use costs ~10 ms of an interpreted JVM.
                        out.append("\\u00").append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
