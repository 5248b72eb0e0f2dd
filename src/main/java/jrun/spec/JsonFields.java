package jrun.spec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import jrun.json.JsonValue;

/**
 * Typed access to the fields of one JSON object, for the hand-written readers. Each value is
 * checked against the expected JSON type and Go range; a mismatch names the value's JSON
 * pointer. The fields that were asked for are remembered, so that {@link #extra()} returns the
 * rest without a second list of known names.
 */
final class JsonFields {
    /** A value of the wrong type, at {@code pointer}; {@link SpecReader} adds the file name. */
    static final class Mismatch extends RuntimeException {
        final String pointer;

        Mismatch(String pointer, String message) {
            super(message, null, false, false);
            this.pointer = pointer;
        }
    }

    /** Reads one JSON value (never null or JSON null) found at {@code pointer}. */
    @FunctionalInterface
    interface ValueReader<T> {
        T read(JsonValue value, String pointer);
    }

    static final ValueReader<String> STRING = (v, p) -> {
        if (!v.isString()) {
            throw mismatch(v, p, "a string");
        }
        return v.stringValue();
    };
    static final ValueReader<Boolean> BOOLEAN = (v, p) -> {
        if (!v.isBoolean()) {
            throw mismatch(v, p, "a boolean");
        }
        return v.booleanValue();
    };
    static final ValueReader<Long> INT64 = (v, p) -> {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw mismatch(v, p, "a 64-bit integer");
        }
        return v.longValue();
    };
    static final ValueReader<Long> INT32 = (v, p) -> {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw mismatch(v, p, "a 32-bit integer");
        }
        return v.longValue();
    };
    /** uint64 values above Long.MAX_VALUE become negative longs (two's complement). */
    static final ValueReader<Long> UINT64 = unsigned(64);
    static final ValueReader<Long> UINT32 = unsigned(32);
    static final ValueReader<Long> UINT16 = unsigned(16);

    private final JsonValue node;
    private final String pointer;
    private final Set<String> asked = new HashSet<>();

    private JsonFields(JsonValue node, String pointer) {
        this.node = node;
        this.pointer = pointer;
    }

    /** The fields of {@code node}, which must be a JSON object. */
    static JsonFields of(JsonValue node, String pointer) {
        if (!node.isObject()) {
            throw mismatch(node, pointer, "an object");
        }
        return new JsonFields(node, pointer);
    }

    /** Reads each JSON object with {@code mapper}, e.g. as a list element or map value. */
    static <T> ValueReader<T> objects(Function<JsonFields, T> mapper) {
        return (v, p) -> mapper.apply(of(v, p));
    }

    /** The value of field {@code name}, or null when it is absent or JSON null (as in Go). */
    <T> T value(String name, ValueReader<T> reader) {
        asked.add(name);
        JsonValue v = node.get(name);
        return v == null || v.isNull() ? null : reader.read(v, child(pointer, name));
    }

    String string(String name) {
        return value(name, STRING);
    }

    /** A plain Go bool: false when absent. */
    boolean bool(String name) {
        return Boolean.TRUE.equals(value(name, BOOLEAN));
    }

    /** A Go {@code *bool}: null when absent. */
    Boolean optionalBool(String name) {
        return value(name, BOOLEAN);
    }

    /** A plain Go number: 0 when absent. */
    long number(String name, ValueReader<Long> type) {
        Long v = value(name, type);
        return v == null ? 0 : v;
    }

    /** A Go number pointer: null when absent. */
    Long optionalNumber(String name, ValueReader<Long> type) {
        return value(name, type);
    }

    <T> T object(String name, Function<JsonFields, T> mapper) {
        return value(name, objects(mapper));
    }

    List<String> strings(String name) {
        return list(name, STRING);
    }

    /** An array of {@code element}s; empty when absent. Null elements are refused. */
    <T> List<T> list(String name, ValueReader<T> element) {
        List<T> list = value(name, (v, p) -> {
            if (!v.isArray()) {
                throw mismatch(v, p, "an array");
            }
            List<T> out = new ArrayList<>(v.size());
            for (int i = 0; i < v.size(); i++) {
                JsonValue e = v.get(i);
                String ep = p + "/" + i;
                if (e.isNull()) {
                    throw mismatch(e, ep, "a value");
                }
                out.add(element.read(e, ep));
            }
            return out;
        });
        return list == null ? List.of() : list;
    }

    Map<String, String> stringMap(String name) {
        return map(name, STRING);
    }

    /** An object whose values are all {@code value}s, in file order; empty when absent. */
    <T> Map<String, T> map(String name, ValueReader<T> valueReader) {
        Map<String, T> map = value(name, (v, p) -> {
            if (!v.isObject()) {
                throw mismatch(v, p, "an object");
            }
            Map<String, T> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonValue> e : v.properties()) {
                String ep = child(p, e.getKey());
                if (e.getValue().isNull()) {
                    throw mismatch(e.getValue(), ep, "a value");
                }
                out.put(e.getKey(), valueReader.read(e.getValue(), ep));
            }
            return out;
        });
        return map == null ? Map.of() : map;
    }

    /** The fields not asked for so far, in file order (the tree is immutable: no copies needed). Call it last. */
    Map<String, JsonValue> extra() {
        Map<String, JsonValue> extra = null;
        for (Map.Entry<String, JsonValue> e : node.properties()) {
            if (!asked.contains(e.getKey())) {
                if (extra == null) {
                    extra = new LinkedHashMap<>();
                }
                extra.put(e.getKey(), e.getValue());
            }
        }
        return extra == null ? Map.of() : extra;
    }

    /** The JSON pointer (RFC 6901) of field {@code name} of the object at {@code parent}. */
    static String child(String parent, String name) {
        return parent + "/" + name.replace("~", "~0").replace("/", "~1");
    }

    private static ValueReader<Long> unsigned(int bits) {
        BigInteger limit = BigInteger.ONE.shiftLeft(bits);
        String expected = "an unsigned " + bits + "-bit integer";
        return (v, p) -> {
            if (v.isIntegralNumber() && v.canConvertToLong()) {
                long l = v.longValue();
                if (l >= 0 && (bits == 64 || l < 1L << bits)) {
                    return l;
                }
            } else if (v.isIntegralNumber()) {
                // Only uint64 values above Long.MAX_VALUE get here.
                BigInteger b = v.bigIntegerValue();
                if (b.signum() >= 0 && b.compareTo(limit) < 0) {
                    return b.longValue();
                }
            }
            throw mismatch(v, p, expected);
        };
    }

    private static Mismatch mismatch(JsonValue found, String pointer, String expected) {
        return new Mismatch(pointer, "expected " + expected + ", found " + describe(found));
    }

    private static String describe(JsonValue v) {
        if (v.isObject()) {
            return "an object";
        }
        if (v.isArray()) {
            return "an array";
        }
        if (v.isNull()) {
            return "null";
        }
        if (v.isString()) {
            return "a string";
        }
        // Numbers and booleans are short and telling: show them.
        return v.toString();
    }
}
