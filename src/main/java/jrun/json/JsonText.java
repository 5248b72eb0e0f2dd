package jrun.json;

import java.util.Map;

/** Writes a {@link JsonValue} as compact JSON text (RFC 8259), numbers exactly as they were read. */
public final class JsonText {
    private static final String HEX = "0123456789abcdef";

    private JsonText() {}

    static void write(JsonValue value, StringBuilder out) {
        switch (value) {
            case JsonValue.ObjectValue o -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonValue> e : o.properties()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(e.getKey(), out);
                    out.append(':');
                    write(e.getValue(), out);
                }
                out.append('}');
            }
            case JsonValue.ArrayValue a -> {
                out.append('[');
                boolean first = true;
                for (JsonValue element : a) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(element, out);
                }
                out.append(']');
            }
            case JsonValue.StringValue s -> string(s.stringValue(), out);
            case JsonValue.NumberValue n -> out.append(n.literal());
            case JsonValue.BooleanValue b -> out.append(b.booleanValue());
            case JsonValue.NullValue n -> out.append("null");
            // Not JSON; written as what a JsonNode's MissingNode prints.
            case JsonValue.MissingValue m -> out.append("");
        }
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
