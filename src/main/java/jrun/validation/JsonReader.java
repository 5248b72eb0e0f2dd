package jrun.validation;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import jrun.cli.Log;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * A strict RFC 8259 JSON reader that builds Jackson trees. Jackson's own parser is not used on
 * jrun's start-up path: its base class initialises {@code BigDecimal}, whose static caches take
 * ~18 ms to compute on JDK 25, and its messages are meant for programmers. As in Go's
 * encoding/json (what runc uses), a repeated member name keeps the last value.
 */
final class JsonReader {
    /** Deeper than any real config; keeps hostile input from exhausting the stack. */
    static final int MAX_DEPTH = 256;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final String text;
    private int pos;

    private JsonReader(String text) {
        this.text = text;
    }

    /** Thrown with a message that starts with "line L, column C: ". */
    static final class SyntaxError extends Exception {
        SyntaxError(String message) {
            super(message, null, false, false);
        }
    }

    static JsonNode read(byte[] utf8) throws SyntaxError {
        String text;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8));
            text = chars.toString();
        } catch (CharacterCodingException e) {
            throw new SyntaxError("is not valid UTF-8 text");
        }
        JsonReader r = new JsonReader(text);
        if (text.startsWith("\uFEFF")) {
            r.pos = 1; // tolerate a byte order mark, as editors on some systems write one
        }
        r.skipWhitespace();
        if (r.pos == text.length()) {
            throw new SyntaxError("is empty; expected a JSON object");
        }
        JsonNode root = r.value(0);
        r.skipWhitespace();
        if (r.pos < text.length()) {
            throw r.error("unexpected content after the end of the JSON document");
        }
        return root;
    }

    private JsonNode value(int depth) throws SyntaxError {
        if (pos >= text.length()) {
            throw error("unexpected end of the document; expected a value");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> new QuotedStringNode(string());
            case 't' -> literal("true", NODES.booleanNode(true));
            case 'f' -> literal("false", NODES.booleanNode(false));
            case 'n' -> literal("null", NODES.nullNode());
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                if (Character.isLetter(c)) {
                    yield literal("", null); // names the whole word
                }
                throw error("unexpected " + describe(c) + "; expected a value (object, array, string, number, true, false or null)");
            }
        };
    }

    private ObjectNode object(int depth) throws SyntaxError {
        checkDepth(depth);
        ObjectNode object = NODES.objectNode();
        pos++; // {
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return object;
        }
        while (true) {
            if (peek() != '"') {
                throw error(peek() == '}' ? "a comma before } is not allowed in JSON"
                        : "expected a property name in double quotes, found " + describeNext());
            }
            String name = string();
            skipWhitespace();
            if (peek() != ':') {
                throw error("expected ':' after property name " + Log.quote(name) + ", found " + describeNext());
            }
            pos++;
            skipWhitespace();
            object.set(name, value(depth));
            skipWhitespace();
            char next = peek();
            pos++;
            if (next == '}') {
                return object;
            }
            if (next != ',') {
                pos--;
                throw error("expected ',' or '}' after the value of " + Log.quote(name) + ", found " + describeNext());
            }
            skipWhitespace();
        }
    }

    private ArrayNode array(int depth) throws SyntaxError {
        checkDepth(depth);
        ArrayNode array = NODES.arrayNode();
        pos++; // [
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return array;
        }
        while (true) {
            if (peek() == ']') {
                throw error("a comma before ] is not allowed in JSON");
            }
            array.add(value(depth));
            skipWhitespace();
            char next = peek();
            pos++;
            if (next == ']') {
                return array;
            }
            if (next != ',') {
                pos--;
                throw error("expected ',' or ']' in an array, found " + describeNext());
            }
            skipWhitespace();
        }
    }

    private String string() throws SyntaxError {
        int start = ++pos; // opening quote
        StringBuilder b = null;
        while (true) {
            if (pos >= text.length()) {
                pos = start - 1;
                throw error("string is not closed: missing \"");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String s = b == null ? text.substring(start, pos) : b.append(text, start, pos).toString();
                pos++;
                return s;
            }
            if (c < 0x20) {
                throw error("control character " + describe(c) + " in a string must be escaped");
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            if (b == null) {
                b = new StringBuilder();
            }
            b.append(text, start, pos);
            if (pos + 1 >= text.length()) {
                throw error("string is not closed: missing \"");
            }
            char e = text.charAt(pos + 1);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (pos + 6 > text.length()) {
                        throw error("\\u must be followed by four hexadecimal digits");
                    }
                    int code = 0;
                    for (int i = pos + 2; i < pos + 6; i++) {
                        int digit = Character.digit(text.charAt(i), 16);
                        if (digit < 0) {
                            throw error("\\u must be followed by four hexadecimal digits");
                        }
                        code = code * 16 + digit;
                    }
                    b.append((char) code);
                    pos += 4;
                }
                default -> throw error("invalid escape \\" + e + " in a string");
            }
            pos += 2;
            start = pos;
        }
    }

    private JsonNode number() throws SyntaxError {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (Character.isDigit(peek())) {
                throw error("numbers must not have leading zeros");
            }
        } else if (!digits()) {
            throw error("expected a digit after '-'");
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!digits()) {
                throw error("expected a digit after the decimal point");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!digits()) {
                throw error("expected a digit in the exponent");
            }
        }
        String literal = text.substring(start, pos);
        if (!integral) {
            return NODES.numberNode(Double.parseDouble(literal));
        }
        if (literal.length() <= 18) {
            long v = Long.parseLong(literal);
            return v == (int) v ? NODES.numberNode((int) v) : NODES.numberNode(v);
        }
        BigInteger big = new BigInteger(literal);
        if (big.compareTo(LONG_MIN) >= 0 && big.compareTo(LONG_MAX) <= 0) {
            return NODES.numberNode(big.longValue());
        }
        return NODES.numberNode(big);
    }

    private boolean digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    private JsonNode literal(String word, JsonNode node) throws SyntaxError {
        if (word.isEmpty() || !text.startsWith(word, pos)) {
            int end = pos;
            while (end < text.length() && Character.isLetterOrDigit(text.charAt(end))) {
                end++;
            }
            throw error("unexpected word " + Log.quote(text.substring(pos, Math.max(end, pos + 1)))
                    + "; expected a value (strings need double quotes)");
        }
        pos += word.length();
        return node;
    }

    private void checkDepth(int depth) throws SyntaxError {
        if (depth > MAX_DEPTH) {
            throw error("nested more than " + MAX_DEPTH + " levels deep");
        }
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private String describeNext() {
        return pos < text.length() ? describe(text.charAt(pos)) : "the end of the document";
    }

    private static String describe(char c) {
        if (c < 0x20 || c == 0x7f) {
            return String.format("character U+%04X", (int) c);
        }
        return c == '\'' ? "character \"'\"" : "character '" + c + "'";
    }

    /** An error at the current position, 1-based line and column as editors count them. */
    private SyntaxError error(String what) {
        int line = 1;
        int lineStart = 0;
        int end = Math.min(pos, text.length());
        for (int i = 0; i < end; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new SyntaxError("line " + line + ", column " + (end - lineStart + 1) + ": " + what);
    }

    /**
     * A string node whose {@code toString()} quotes the value itself. Jackson's implementation
     * serialises through an ObjectMapper, and building the first one costs ~100 ms; networknt
     * calls {@code toString()} on every {@code enum} value while compiling a schema.
     */
    static final class QuotedStringNode extends StringNode {
        QuotedStringNode(String value) {
            super(value);
        }

        @Override
        public String toString() {
            return Log.quote(_value);
        }
    }
}
