package jrun.spec;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import jrun.json.JsonValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds one JSON object for the hand-written writers, following Go's encoding rules: methods
 * named for {@code omitempty} fields skip null, empty and zero values.
 */
final class JsonOut {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectNode node = NODES.objectNode();

    /** Written when non-null, even when empty (see the package documentation). */
    JsonOut string(String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
        return this;
    }

    /** A plain Go bool without omitempty: always written. */
    JsonOut bool(String name, boolean value) {
        node.put(name, value);
        return this;
    }

    /** A plain Go bool with omitempty: written when true. */
    JsonOut boolOmitFalse(String name, boolean value) {
        if (value) {
            node.put(name, true);
        }
        return this;
    }

    /** A Go {@code *bool}: written when non-null. */
    JsonOut bool(String name, Boolean value) {
        if (value != null) {
            node.put(name, value);
        }
        return this;
    }

    /** A plain signed Go number without omitempty: always written. */
    JsonOut signed(String name, long value) {
        node.set(name, number(value));
        return this;
    }

    /** A plain signed Go number with omitempty: written when non-zero. */
    JsonOut signedOmitZero(String name, long value) {
        return value == 0 ? this : signed(name, value);
    }

    /** A signed Go number pointer: written when non-null. */
    JsonOut signed(String name, Long value) {
        return value == null ? this : signed(name, value.longValue());
    }

    /** A plain unsigned Go number without omitempty: always written, as unsigned. */
    JsonOut unsigned(String name, long value) {
        node.set(name, unsigned(value));
        return this;
    }

    /** A plain unsigned Go number with omitempty: written when non-zero. */
    JsonOut unsignedOmitZero(String name, long value) {
        return value == 0 ? this : unsigned(name, value);
    }

    /** An unsigned Go number pointer: written when non-null. */
    JsonOut unsigned(String name, Long value) {
        return value == null ? this : unsigned(name, value.longValue());
    }

    /** An object: written when non-null. */
    <T> JsonOut object(String name, T value, Function<T, ObjectNode> writer) {
        if (value != null) {
            node.set(name, writer.apply(value));
        }
        return this;
    }

    JsonOut strings(String name, List<String> values) {
        return list(name, values, NODES::stringNode);
    }

    /** A list: written when non-empty. */
    <T> JsonOut list(String name, List<T> values, Function<T, JsonNode> writer) {
        if (!values.isEmpty()) {
            node.set(name, array(values, writer));
        }
        return this;
    }

    /** A list without omitempty: always written, {@code []} when empty. */
    <T> JsonOut listAlways(String name, List<T> values, Function<T, JsonNode> writer) {
        node.set(name, array(values, writer));
        return this;
    }

    JsonOut stringMap(String name, Map<String, String> values) {
        return map(name, values, NODES::stringNode);
    }

    /** A map: written when non-empty, in the map's order. */
    <T> JsonOut map(String name, Map<String, T> values, Function<T, JsonNode> writer) {
        if (!values.isEmpty()) {
            ObjectNode object = node.putObject(name);
            values.forEach((k, v) -> object.set(k, writer.apply(v)));
        }
        return this;
    }

    /** The object, with {@code extra} fields appended; a known field wins over an extra one of the same name. */
    ObjectNode end(Map<String, JsonValue> extra) {
        extra.forEach((k, v) -> {
            if (!node.has(k)) {
                node.set(k, jackson(v));
            }
        });
        return node;
    }

    /** A read document's value as the Jackson node its text would parse to. */
    static JsonNode jackson(JsonValue v) {
        if (v.isObject()) {
            ObjectNode o = NODES.objectNode();
            v.properties().forEach(e -> o.set(e.getKey(), jackson(e.getValue())));
            return o;
        }
        if (v.isArray()) {
            ArrayNode a = NODES.arrayNode(v.size());
            v.forEach(e -> a.add(jackson(e)));
            return a;
        }
        if (v.isString()) {
            return NODES.stringNode(v.stringValue());
        }
        if (v.isBigInteger()) {
            return NODES.numberNode(v.bigIntegerValue());
        }
        if (v.isIntegralNumber()) {
            return number(v.longValue());
        }
        if (v.isNumber()) {
            return NODES.numberNode(v.doubleValue());
        }
        if (v.isBoolean()) {
            return NODES.booleanNode(v.booleanValue());
        }
        return NODES.nullNode();
    }

    /**
     * The node type Jackson's parser would make for the same number (int, else long), so that a
     * written tree equals the tree parsed from its text.
     */
    static JsonNode number(long value) {
        return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }

    /** Negative longs are uint64 values above Long.MAX_VALUE in two's complement. */
    static JsonNode unsigned(long value) {
        return value >= 0 ? number(value) : NODES.numberNode(new BigInteger(Long.toUnsignedString(value)));
    }

    private static <T> ArrayNode array(List<T> values, Function<T, JsonNode> writer) {
        ArrayNode array = NODES.arrayNode(values.size());
        for (T v : values) {
            array.add(writer.apply(v));
        }
        return array;
    }
}
