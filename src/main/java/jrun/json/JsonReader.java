package jrun.json;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jrun.base.Log;

/**
 * A strict RFC 8259 JSON reader that builds {@link JsonValue} trees, with messages that give the
 * line and column. Jackson's parser is not used on jrun's start-up path: its base class
 * initialises {@code BigDecimal} (see {@link JsonValue}), and its messages are meant for
 * programmers. As in Go's encoding/json (what runc uses), a repeated member name keeps the last
 * value.
 */
public final class JsonReader {
    /** Deeper than any real config; keeps hostile input from exhausting the stack. */
    static final int MAX_DEPTH = 256;

    /**
     * The document's characters. An array, not the String: jrun's JVM is interpreted (-Xint,
     * see bin/jrun), where each {@code String.charAt} is a chain of calls (bounds check, coder,
     * Latin-1 or UTF-16 path) and an array load is one bytecode; measured 3x faster parsing.
     */
    private final char[] text;
    private final int length;
    private int pos;

    private JsonReader(char[] text, int length) {
        this.text = text;
        this.length = length;
    }

    /** Thrown with a message that starts with "line L, column C: ". */
    public static final class SyntaxError extends Exception {
        SyntaxError(String message) {
            super(message, null, false, false);
        }
    }

    public static JsonValue read(byte[] utf8) throws SyntaxError {
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8));
        } catch (CharacterCodingException e) {
            throw new SyntaxError("is not valid UTF-8 text");
        }
        // decode() returns a heap buffer from position 0: its array is the text, up to limit().
        JsonReader r = new JsonReader(chars.array(), chars.limit());
        if (r.length > 0 && r.text[0] == '\uFEFF') {
            r.pos = 1; // tolerate a byte order mark, as editors on some systems write one
        }
        r.skipWhitespace();
        if (r.pos == r.length) {
            throw new SyntaxError("is empty; expected a JSON object");
        }
        JsonValue root = r.value(0);
        r.skipWhitespace();
        if (r.pos < r.length) {
            throw r.error("unexpected content after the end of the JSON document");
        }
        return root;
    }

    private JsonValue value(int depth) throws SyntaxError {
        if (pos >= length) {
            throw error("unexpected end of the document; expected a value");
        }
        char c = text[pos];
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> JsonValue.string(string());
            case 't' -> literal("true", JsonValue.TRUE);
            case 'f' -> literal("false", JsonValue.FALSE);
            case 'n' -> literal("null", JsonValue.NULL);
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

    private JsonValue object(int depth) throws SyntaxError {
        checkDepth(depth);
        Map<String, JsonValue> members = new LinkedHashMap<>();
        pos++; // {
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return new JsonValue.ObjectValue(Map.of());
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
            members.put(name, value(depth));
            skipWhitespace();
            char next = peek();
            pos++;
            if (next == '}') {
                return new JsonValue.ObjectValue(Collections.unmodifiableMap(members));
            }
            if (next != ',') {
                pos--;
                throw error("expected ',' or '}' after the value of " + Log.quote(name) + ", found " + describeNext());
            }
            skipWhitespace();
        }
    }

    private JsonValue array(int depth) throws SyntaxError {
        checkDepth(depth);
        List<JsonValue> elements = new ArrayList<>();
        pos++; // [
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return new JsonValue.ArrayValue(List.of());
        }
        while (true) {
            if (peek() == ']') {
                throw error("a comma before ] is not allowed in JSON");
            }
            elements.add(value(depth));
            skipWhitespace();
            char next = peek();
            pos++;
            if (next == ']') {
                return new JsonValue.ArrayValue(Collections.unmodifiableList(elements));
            }
            if (next != ',') {
                pos--;
                throw error("expected ',' or ']' in an array, found " + describeNext());
            }
            skipWhitespace();
        }
    }

    private String string() throws SyntaxError {
        // The scan runs in locals: in jrun's interpreted JVM a field access is bytecodes of its
        // own, and this loop runs once per character of every string (most of a document).
        char[] t = text;
        int n = length;
        int p = ++pos; // opening quote
        int start = p;
        StringBuilder b = null;
        while (true) {
            if (p >= n) {
                pos = start - 1;
                throw error("string is not closed: missing \"");
            }
            char c = t[p];
            // Lower-case letters and everything else above the backslash need no other test.
            if (c > '\\') {
                p++;
                continue;
            }
            if (c == '"') {
                pos = p + 1;
                return b == null ? new String(t, start, p - start) : b.append(t, start, p - start).toString();
            }
            if (c < 0x20) {
                pos = p;
                throw error("control character " + describe(c) + " in a string must be escaped");
            }
            if (c != '\\') {
                p++;
                continue;
            }
            pos = p;
            if (b == null) {
                b = new StringBuilder();
            }
            b.append(t, start, p - start);
            if (p + 1 >= n) {
                throw error("string is not closed: missing \"");
            }
            char e = t[p + 1];
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (p + 6 > n) {
                        throw error("\\u must be followed by four hexadecimal digits");
                    }
                    int code = 0;
                    for (int i = p + 2; i < p + 6; i++) {
                        int digit = Character.digit(t[i], 16);
                        if (digit < 0) {
                            throw error("\\u must be followed by four hexadecimal digits");
                        }
                        code = code * 16 + digit;
                    }
                    b.append((char) code);
                    p += 4;
                }
                default -> throw error("invalid escape \\" + e + " in a string");
            }
            p += 2;
            start = p;
        }
    }

    private JsonValue number() throws SyntaxError {
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
        String literal = new String(text, start, pos - start);
        return integral ? JsonValue.integer(literal) : JsonValue.decimal(literal);
    }

    private boolean digits() {
        int start = pos;
        while (pos < length && text[pos] >= '0' && text[pos] <= '9') {
            pos++;
        }
        return pos > start;
    }

    private JsonValue literal(String word, JsonValue node) throws SyntaxError {
        if (word.isEmpty() || !startsWith(word)) {
            int end = pos;
            while (end < length && Character.isLetterOrDigit(text[end])) {
                end++;
            }
            throw error("unexpected word " + Log.quote(new String(text, pos, Math.max(end, pos + 1) - pos))
                    + "; expected a value (strings need double quotes)");
        }
        pos += word.length();
        return node;
    }

    private boolean startsWith(String word) {
        if (pos + word.length() > length) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (text[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void checkDepth(int depth) throws SyntaxError {
        if (depth > MAX_DEPTH) {
            throw error("nested more than " + MAX_DEPTH + " levels deep");
        }
    }

    private void skipWhitespace() {
        char[] t = text; // locals, as in string()
        int n = length;
        int p = pos;
        while (p < n) {
            char c = t[p];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                break;
            }
            p++;
        }
        pos = p;
    }

    private char peek() {
        return pos < length ? text[pos] : '\0';
    }

    private String describeNext() {
        return pos < length ? describe(text[pos]) : "the end of the document";
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
        int end = Math.min(pos, length);
        for (int i = 0; i < end; i++) {
            if (text[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new SyntaxError("line " + line + ", column " + (end - lineStart + 1) + ": " + what);
    }

}
