package jrun.base;

/**
 * JSON string literals (RFC 8259), in the base layer because the log lines, error messages and
 * jrun's JSON writer all quote strings and none of them may pull the JSON package into the log.
 */
public final class JsonString {
    private static final String HEX = "0123456789abcdef";

    private JsonString() {}

    /** {@code s} as a JSON string literal, e.g. for messages that quote a value. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        append(s, b);
        return b.toString();
    }

    public static void append(String s, StringBuilder out) {
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
