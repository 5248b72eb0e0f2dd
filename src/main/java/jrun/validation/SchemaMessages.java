package jrun.validation;

import java.util.ArrayList;
import java.util.List;
import jrun.base.Log;
import jrun.json.JsonValue;

/**
 * jrun's wording for schema violations: the value that is wrong, then why ({@code "pidd" is not
 * one of pid, network, ...}). Keywords whose generic message would not help (patterns, numeric
 * ranges) carry our wording in the schema's {@code x-message}: an object mapping a keyword to the
 * text that follows the value.
 */
final class SchemaMessages {
    static final String MESSAGE_KEYWORD = "x-message";
    private static final int MAX_SHOWN_CHARS = 60;

    private SchemaMessages() {}

    /** Why {@code value} fails {@code keyword}, whose value in the schema is {@code schema}. */
    static String message(String keyword, JsonValue schema, JsonValue value) {
        return switch (keyword) {
            case "type" -> "expected " + expectedTypes(schema) + ", got " + describe(value);
            case "enum" -> show(value) + " is not one of " + alternatives(schema);
            case "const" -> show(value) + " must be " + schema;
            case "pattern" -> show(value) + " does not match the pattern " + schema.asString();
            case "minimum" -> show(value) + " is less than the minimum " + schema;
            case "maximum" -> show(value) + " is greater than the maximum " + schema;
            case "minItems" -> "must have at least " + count(schema.asInt(), "entry", "entries");
            case "maxItems" -> "must have at most " + count(schema.asInt(), "entry", "entries");
            case "minLength" -> schema.asInt() == 1 ? "must not be empty"
                    : "must be at least " + count(schema.asInt(), "character", "characters") + " long";
            case "maxLength" -> "must be at most " + count(schema.asInt(), "character", "characters") + " long";
            default -> throw new IllegalArgumentException("no message for keyword " + keyword);
        };
    }

    /** A JSON value as it would appear in the file, shortened; containers only by their kind. */
    static String show(JsonValue value) {
        if (value == null || value.isMissingNode()) {
            return "the value";
        }
        if (value.isObject()) {
            return "an object";
        }
        if (value.isArray()) {
            return "an array";
        }
        if (value.isString()) {
            String s = value.stringValue();
            if (s.length() > MAX_SHOWN_CHARS) {
                s = s.substring(0, MAX_SHOWN_CHARS) + "...";
            }
            return Log.quote(s);
        }
        return value.toString();
    }

    private static String describe(JsonValue value) {
        if (value == null || value.isObject() || value.isArray()) {
            return article(typeName(value));
        }
        if (value.isNull()) {
            return "null";
        }
        return article(typeName(value)) + " (" + show(value) + ")";
    }

    static String typeName(JsonValue value) {
        if (value == null || value.isMissingNode()) {
            return "nothing";
        }
        if (value.isObject()) {
            return "object";
        }
        if (value.isArray()) {
            return "array";
        }
        if (value.isString()) {
            return "string";
        }
        if (value.isIntegralNumber()) {
            return "integer";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        return "null";
    }

    private static String expectedTypes(JsonValue schema) {
        if (schema != null && schema.isArray()) {
            List<String> types = new ArrayList<>();
            for (JsonValue t : schema) {
                types.add(article(t.asString()));
            }
            return String.join(" or ", types);
        }
        return article(schema == null ? "value" : schema.asString());
    }

    private static String alternatives(JsonValue enumeration) {
        List<String> values = new ArrayList<>();
        for (JsonValue v : enumeration) {
            values.add(v.isString() ? v.stringValue() : v.toString());
        }
        return String.join(", ", values);
    }

    private static String article(String noun) {
        return switch (noun) {
            case "null", "nothing" -> noun;
            case "integer", "array", "object" -> "an " + noun;
            default -> "a " + noun;
        };
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
