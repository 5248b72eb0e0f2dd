package jrun.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import jrun.json.JsonValue;

/**
 * Builds one JSON object for the hand-written writers, following Go's encoding rules: methods
 * named for {@code omitempty} fields skip null, empty and zero values.
 */
final class JsonOut {
    private final Map<String, JsonValue> members = new LinkedHashMap<>();

    /** Written when non-null, even when empty (see the package documentation). */
    JsonOut string(String name, String value) {
        if (value != null) {
            members.put(name, JsonValue.string(value));
        }
        return this;
    }

    /** A plain Go bool without omitempty: always written. */
    JsonOut bool(String name, boolean value) {
        members.put(name, JsonValue.bool(value));
        return this;
    }

    /** A plain Go bool with omitempty: written when true. */
    JsonOut boolOmitFalse(String name, boolean value) {
        if (value) {
            members.put(name, JsonValue.TRUE);
        }
        return this;
    }

    /** A Go {@code *bool}: written when non-null. */
    JsonOut bool(String name, Boolean value) {
        if (value != null) {
            members.put(name, JsonValue.bool(value));
        }
        return this;
    }

    /** A plain signed Go number without omitempty: always written. */
    JsonOut signed(String name, long value) {
        members.put(name, JsonValue.number(value));
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
        members.put(name, JsonValue.unsigned(value));
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
    <T> JsonOut object(String name, T value, Function<T, JsonValue> writer) {
        if (value != null) {
            members.put(name, writer.apply(value));
        }
        return this;
    }

    JsonOut strings(String name, List<String> values) {
        return list(name, values, JsonValue::string);
    }

    /** A list: written when non-empty. */
    <T> JsonOut list(String name, List<T> values, Function<T, JsonValue> writer) {
        if (!values.isEmpty()) {
            members.put(name, array(values, writer));
        }
        return this;
    }

    /** A list without omitempty: always written, {@code []} when empty. */
    <T> JsonOut listAlways(String name, List<T> values, Function<T, JsonValue> writer) {
        members.put(name, array(values, writer));
        return this;
    }

    JsonOut stringMap(String name, Map<String, String> values) {
        return map(name, values, JsonValue::string);
    }

    /** A map: written when non-empty, in the map's order. */
    <T> JsonOut map(String name, Map<String, T> values, Function<T, JsonValue> writer) {
        if (!values.isEmpty()) {
            Map<String, JsonValue> object = new LinkedHashMap<>();
            for (Map.Entry<String, T> e : values.entrySet()) {
                object.put(e.getKey(), writer.apply(e.getValue()));
            }
            members.put(name, JsonValue.object(object));
        }
        return this;
    }

    /** The object, with {@code extra} fields appended; a known field wins over an extra one of the same name. */
    JsonValue end(Map<String, JsonValue> extra) {
        for (Map.Entry<String, JsonValue> e : extra.entrySet()) {
            members.putIfAbsent(e.getKey(), e.getValue());
        }
        return JsonValue.object(members);
    }

    private static <T> JsonValue array(List<T> values, Function<T, JsonValue> writer) {
        List<JsonValue> array = new ArrayList<>(values.size());
        for (T v : values) {
            array.add(writer.apply(v));
        }
        return JsonValue.array(array);
    }
}
