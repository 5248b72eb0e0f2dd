package jrun.validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jrun.json.JsonValue;

/**
 * Validates documents against jrun's own JSON Schemas (oci-schemas/, draft 2020-12) by
 * interpreting them directly: no schema compilation, no Jackson trees.
 *
 * <p>Why not a general validator: networknt's checked a config and compiled the schemas on every
 * {@code jrun create}, a third of its start-up. jrun's schemas use a
 * small set of keywords, listed in {@link #KEYWORDS}; {@link #requireSupported} refuses a schema
 * that uses any other (the tests run it on every schema), so no keyword can be silently ignored. networknt stays in the tests as the reference this validator is compared with.
 *
 * <p>Supported: {@code $ref} (to a whole file, or a JSON pointer within this or another file),
 * {@code type}, {@code enum}, {@code const}, {@code pattern}, {@code minimum}, {@code maximum},
 * {@code minLength}, {@code maxLength}, {@code minItems}, {@code maxItems}, {@code required},
 * {@code properties}, {@code additionalProperties}, {@code items}, {@code if}/{@code then}/{@code else},
 * and jrun's {@code x-message} (our wording per failing keyword, see {@link SchemaMessages}).
 */
final class SchemaValidator {
    static final String RESOURCE_DIR = "oci-schemas/";

    /** Keywords that only describe: they never fail. */
    private static final Set<String> ANNOTATIONS = Set.of("$schema", "$comment", "$defs", "title", "description",
            "default", "examples", "$id");
    static final Set<String> KEYWORDS = Set.of("$ref", "type", "enum", "const", "pattern", "minimum", "maximum",
            "minLength", "maxLength", "minItems", "maxItems", "required", "properties", "additionalProperties",
            "items", "if", "then", "else", SchemaMessages.MESSAGE_KEYWORD);

    private static final Map<String, JsonValue> DOCUMENTS = new ConcurrentHashMap<>();

    private final String file;
    private final List<Problem> problems = new ArrayList<>();
    /** Compiled patterns by the schema node that holds them; a validator serves one document. */
    private final Map<JsonValue, Pattern> patterns = new IdentityHashMap<>();

    private SchemaValidator(String file) {
        this.file = file;
    }

    /**
     * Every schema violation in {@code instance}, in the order the schema meets them.
     *
     * @param schemaFile a file of oci-schemas/, e.g. {@code config-schema.json}
     * @param file the instance's file name, for the problems
     */
    static List<Problem> validate(String schemaFile, JsonValue instance, String file) {
        SchemaValidator v = new SchemaValidator(file);
        v.check(document(schemaFile), schemaFile, instance, "");
        List<Problem> unique = new ArrayList<>(v.problems.size());
        for (Problem p : v.problems) {
            if (!unique.contains(p)) {
                unique.add(p);
            }
        }
        return unique;
    }

    /** A schema document, read once per JVM. */
    static JsonValue document(String schemaFile) {
        return DOCUMENTS.computeIfAbsent(schemaFile, SchemaValidator::load);
    }

    /**
     * Refuses a schema document that uses a keyword this validator does not implement, or a
     * pattern that does not compile. The schemas ship inside jrun, so the tests call this for
     * every one of them; at run time it would only cost start-up.
     */
    static void requireSupported(String schemaFile) {
        requireSupported(document(schemaFile), RESOURCE_DIR + schemaFile, "");
    }

    private static JsonValue load(String schemaFile) {
        String resource = RESOURCE_DIR + schemaFile;
        try {
            byte[] bytes = OwnResources.read(resource);
            if (bytes == null) {
                throw new IllegalStateException("jrun's schema " + resource + " is missing from the class path");
            }
            return JsonTrees.parse(bytes, resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read jrun's schema " + resource, e);
        }
    }

    /** Walks every subschema of a document and refuses keywords this validator does not implement. */
    private static void requireSupported(JsonValue schema, String resource, String pointer) {
        if (schema.isBoolean()) {
            return;
        }
        if (!schema.isObject()) {
            throw new IllegalStateException(resource + ": " + pointer + ": a schema must be an object or a boolean");
        }
        for (Map.Entry<String, JsonValue> e : schema.properties()) {
            String keyword = e.getKey();
            String at = Problem.pointer(pointer, keyword);
            JsonValue value = e.getValue();
            switch (keyword) {
                case "$defs", "properties" -> {
                    for (Map.Entry<String, JsonValue> sub : value.properties()) {
                        requireSupported(sub.getValue(), resource, Problem.pointer(at, sub.getKey()));
                    }
                }
                case "items", "additionalProperties", "if", "then", "else" -> requireSupported(value, resource, at);
                case "pattern" -> compile(value.stringValue()); // a bad pattern fails here, not on a user
                default -> {
                    if (!KEYWORDS.contains(keyword) && !ANNOTATIONS.contains(keyword)) {
                        throw new IllegalStateException(resource + ": " + at + ": keyword " + keyword
                                + " is not supported by jrun's schema validator");
                    }
                }
            }
        }
    }

    private void check(JsonValue schema, String schemaFile, JsonValue instance, String pointer) {
        if (schema.isBoolean()) {
            if (!schema.booleanValue()) {
                problems.add(new Problem(file, pointer, "is not allowed here"));
            }
            return;
        }
        JsonValue ref = schema.get("$ref");
        if (ref != null) {
            String target = ref.stringValue();
            int hash = target.indexOf('#');
            String targetFile = hash < 0 ? target : hash == 0 ? schemaFile : target.substring(0, hash);
            String fragment = hash < 0 ? "" : target.substring(hash + 1);
            check(resolve(document(targetFile), fragment, target), targetFile, instance, pointer);
        }
        JsonValue messages = schema.path(SchemaMessages.MESSAGE_KEYWORD);
        JsonValue type = schema.get("type");
        if (type != null && !hasType(instance, type)) {
            fail(pointer, "type", type, instance, messages);
            return; // the other keywords only make sense for the right type
        }
        JsonValue enumeration = schema.get("enum");
        if (enumeration != null && !contains(enumeration, instance)) {
            fail(pointer, "enum", enumeration, instance, messages);
        }
        JsonValue constant = schema.get("const");
        if (constant != null && !constant.equals(instance)) {
            fail(pointer, "const", constant, instance, messages);
        }
        if (instance.isString()) {
            strings(schema, instance, pointer, messages);
        } else if (instance.isNumber()) {
            numbers(schema, instance, pointer, messages);
        } else if (instance.isArray()) {
            arrays(schema, schemaFile, instance, pointer, messages);
        } else if (instance.isObject()) {
            objects(schema, schemaFile, instance, pointer);
        }
        JsonValue condition = schema.get("if");
        if (condition != null) {
            SchemaValidator probe = new SchemaValidator(file);
            probe.check(condition, schemaFile, instance, pointer);
            JsonValue branch = schema.get(probe.problems.isEmpty() ? "then" : "else");
            if (branch != null) {
                check(branch, schemaFile, instance, pointer);
            }
        }
    }

    private void strings(JsonValue schema, JsonValue instance, String pointer, JsonValue messages) {
        String s = instance.stringValue();
        JsonValue pattern = schema.get("pattern");
        if (pattern != null && !patterns.computeIfAbsent(pattern, p -> compile(p.stringValue()))
                .matcher(s).find()) {
            fail(pointer, "pattern", pattern, instance, messages);
        }
        int length = s.codePointCount(0, s.length()); // JSON Schema counts characters, not UTF-16 units
        JsonValue min = schema.get("minLength");
        if (min != null && length < min.longValue()) {
            fail(pointer, "minLength", min, instance, messages);
        }
        JsonValue max = schema.get("maxLength");
        if (max != null && length > max.longValue()) {
            fail(pointer, "maxLength", max, instance, messages);
        }
    }

    private void numbers(JsonValue schema, JsonValue instance, String pointer, JsonValue messages) {
        JsonValue min = schema.get("minimum");
        if (min != null && compare(instance, min) < 0) {
            fail(pointer, "minimum", min, instance, messages);
        }
        JsonValue max = schema.get("maximum");
        if (max != null && compare(instance, max) > 0) {
            fail(pointer, "maximum", max, instance, messages);
        }
    }

    private void arrays(JsonValue schema, String schemaFile, JsonValue instance, String pointer, JsonValue messages) {
        JsonValue min = schema.get("minItems");
        if (min != null && instance.size() < min.longValue()) {
            fail(pointer, "minItems", min, instance, messages);
        }
        JsonValue max = schema.get("maxItems");
        if (max != null && instance.size() > max.longValue()) {
            fail(pointer, "maxItems", max, instance, messages);
        }
        JsonValue items = schema.get("items");
        if (items != null) {
            for (int i = 0; i < instance.size(); i++) {
                check(items, schemaFile, instance.get(i), pointer + "/" + i);
            }
        }
    }

    private void objects(JsonValue schema, String schemaFile, JsonValue instance, String pointer) {
        JsonValue properties = schema.path("properties");
        JsonValue additional = schema.get("additionalProperties");
        for (Map.Entry<String, JsonValue> member : instance.properties()) {
            JsonValue sub = properties.get(member.getKey());
            if (sub == null) {
                sub = additional;
            }
            if (sub != null) {
                check(sub, schemaFile, member.getValue(), Problem.pointer(pointer, member.getKey()));
            }
        }
        for (JsonValue name : schema.path("required")) {
            if (!instance.has(name.stringValue())) {
                problems.add(new Problem(file, Problem.pointer(pointer, name.stringValue()), "is required but missing"));
            }
        }
    }

    private void fail(String pointer, String keyword, JsonValue keywordValue, JsonValue instance, JsonValue messages) {
        JsonValue custom = messages.get(keyword);
        String message = custom != null
                ? SchemaMessages.show(instance) + " " + custom.stringValue()
                : SchemaMessages.message(keyword, keywordValue, instance);
        problems.add(new Problem(file, pointer, message));
    }

    /** The subschema at JSON pointer {@code fragment} ("" for the whole document). */
    private static JsonValue resolve(JsonValue document, String fragment, String ref) {
        JsonValue node = document;
        if (!fragment.isEmpty()) {
            for (String token : fragment.substring(1).split("/", -1)) {
                node = node.path(token.replace("~1", "/").replace("~0", "~"));
            }
        }
        if (node.isMissingNode()) {
            throw new IllegalStateException("jrun's schemas: $ref " + ref + " leads nowhere");
        }
        return node;
    }

    /**
     * A schema's pattern as a Java regex with ECMA-262's {@code $}, which matches only at the
     * very end: Java's also matches before a final line break, which would let "1.2.0\n" pass
     * for a version. Each {@code $} outside a character class and not escaped becomes {@code \z}
     * (as networknt does).
     */
    private static Pattern compile(String regex) {
        StringBuilder b = new StringBuilder(regex.length() + 4);
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                b.append(c).append(regex.charAt(++i));
                continue;
            }
            if (c == '[') {
                inClass = true;
            } else if (c == ']') {
                inClass = false;
            }
            if (c == '$' && !inClass) {
                b.append("\\z");
            } else {
                b.append(c);
            }
        }
        return Pattern.compile(b.toString());
    }

    private static boolean hasType(JsonValue instance, JsonValue type) {
        if (type.isArray()) {
            for (JsonValue t : type) {
                if (hasType(instance, t.stringValue())) {
                    return true;
                }
            }
            return false;
        }
        return hasType(instance, type.stringValue());
    }

    private static boolean hasType(JsonValue instance, String type) {
        return switch (type) {
            case "object" -> instance.isObject();
            case "array" -> instance.isArray();
            case "string" -> instance.isString();
            case "integer" -> instance.isIntegralNumber();
            case "number" -> instance.isNumber();
            case "boolean" -> instance.isBoolean();
            case "null" -> instance.isNull();
            default -> throw new IllegalStateException("jrun's schemas: unknown type " + type);
        };
    }

    private static boolean contains(JsonValue enumeration, JsonValue instance) {
        for (JsonValue candidate : enumeration) {
            if (candidate.equals(instance)) {
                return true;
            }
        }
        return false;
    }

    /** Compares two numbers exactly: as longs when both fit, else as BigIntegers or doubles. */
    static int compare(JsonValue a, JsonValue b) {
        if (a.isIntegralNumber() && b.isIntegralNumber()) {
            if (a.canConvertToLong() && b.canConvertToLong()) {
                return Long.compare(a.longValue(), b.longValue());
            }
            return a.bigIntegerValue().compareTo(b.bigIntegerValue());
        }
        double x = a.doubleValue();
        double y = b.doubleValue();
        return x < y ? -1 : x > y ? 1 : 0;
    }
}
