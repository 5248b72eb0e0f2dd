package jrun.validation;

import java.util.ArrayList;
import java.util.List;

import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;

import jrun.cli.Log;
import tools.jackson.databind.JsonNode;

/**
 * Turns networknt's schema errors into {@link Problem}s in jrun's wording: the value that is
 * wrong, then why ({@code "pidd" is not one of pid, network, ...}). Keywords whose generic message
 * would not help (patterns, numeric ranges) carry our wording in the schema's {@code x-message}.
 */
final class SchemaMessages {
    private static final int MAX_SHOWN_CHARS = 60;

    private SchemaMessages() {}

    static List<Problem> toProblems(List<Error> errors, String file) {
        List<Problem> problems = new ArrayList<>(errors.size());
        for (Error e : errors) {
            Problem p = toProblem(e, file);
            if (!problems.contains(p)) {
                problems.add(p);
            }
        }
        return problems;
    }

    static Problem toProblem(Error e, String file) {
        String pointer = pointer(e.getInstanceLocation());
        JsonNode value = e.getInstanceNode();
        JsonNode schema = e.getSchemaNode();
        String keyword = e.getKeyword() == null ? "" : e.getKeyword();
        if (keyword.equals("required")) {
            // Named by where the property should be, which is where the user has to add it.
            return new Problem(file, Problem.pointer(pointer, e.getProperty()), "is required but missing");
        }
        if (e.isCustomMessage()) {
            return new Problem(file, pointer, show(value) + " " + e.getMessage());
        }
        String message = switch (keyword) {
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
            default -> e.getMessage();
        };
        return new Problem(file, pointer, message);
    }

    /** The RFC 6901 pointer of an instance location. */
    static String pointer(NodePath path) {
        String pointer = "";
        for (int i = 0; i < path.getNameCount(); i++) {
            pointer = Problem.pointer(pointer, path.getElement(i));
        }
        return pointer;
    }

    /** A JSON value as it would appear in the file, shortened; containers only by their kind. */
    static String show(JsonNode value) {
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

    private static String describe(JsonNode value) {
        if (value == null || value.isObject() || value.isArray()) {
            return article(typeName(value));
        }
        if (value.isNull()) {
            return "null";
        }
        return article(typeName(value)) + " (" + show(value) + ")";
    }

    static String typeName(JsonNode value) {
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

    private static String expectedTypes(JsonNode schema) {
        if (schema != null && schema.isArray()) {
            List<String> types = new ArrayList<>();
            for (JsonNode t : schema) {
                types.add(article(t.asString()));
            }
            return String.join(" or ", types);
        }
        return article(schema == null ? "value" : schema.asString());
    }

    private static String alternatives(JsonNode enumeration) {
        List<String> values = new ArrayList<>();
        for (JsonNode v : enumeration) {
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
