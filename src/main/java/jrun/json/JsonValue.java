package jrun.json;

import java.math.BigInteger;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable JSON document tree: what jrun reads bundles, process files and schemas into.
 *
 * <p>Why not Jackson's {@code JsonNode}: every Jackson value node class initialises
 * {@code BigDecimal} on first use, and JDK 25's {@code BigDecimal} static initialiser computes
 * 5^65536 (about 85 ms of an interpreted JVM, measured with {@code -Xlog:class+init}) — more than
 * a third of what {@code jrun run} took. This tree holds integers as {@code long} (a
 * {@link BigInteger} only past 64 bits) and other numbers as {@code double}, so reading a config
 * never touches {@code BigDecimal}. The method names follow {@code JsonNode}'s, so that code
 * reading a document reads the same either way.
 */
public abstract sealed class JsonValue implements Iterable<JsonValue>
        permits JsonValue.ObjectValue, JsonValue.ArrayValue, JsonValue.StringValue, JsonValue.NumberValue,
        JsonValue.BooleanValue, JsonValue.NullValue, JsonValue.MissingValue {

    public static final JsonValue NULL = new NullValue();
    /** What {@link #path} returns for an absent member or index, so that chains never meet null. */
    public static final JsonValue MISSING = new MissingValue();
    public static final JsonValue TRUE = new BooleanValue(true);
    public static final JsonValue FALSE = new BooleanValue(false);

    private JsonValue() {}

    // Constructors for documents built in code (tests, writers).

    /** An object with {@code members} in their iteration order; the map is copied. */
    public static JsonValue object(Map<String, JsonValue> members) {
        return new ObjectValue(Collections.unmodifiableMap(new java.util.LinkedHashMap<>(members)));
    }

    public static JsonValue array(List<JsonValue> elements) {
        return new ArrayValue(List.copyOf(elements));
    }

    public static JsonValue string(String value) {
        return new StringValue(value);
    }

    public static JsonValue bool(boolean value) {
        return value ? TRUE : FALSE;
    }

    public static JsonValue number(long value) {
        return new NumberValue(Long.toString(value), value, null, Double.NaN);
    }

    /** A Go uint64: a negative long is a value above Long.MAX_VALUE in two's complement. */
    public static JsonValue unsigned(long value) {
        return value >= 0 ? number(value) : integer(Long.toUnsignedString(value));
    }

    /** An integer as written, e.g. "18446744073709551615"; {@code literal} must be a JSON integer. */
    static JsonValue integer(String literal) {
        if (fitsLong(literal)) {
            return new NumberValue(literal, Long.parseLong(literal), null, Double.NaN);
        }
        BigInteger big = new BigInteger(literal);
        if (big.bitLength() < 64) {
            return new NumberValue(literal, big.longValue(), null, Double.NaN);
        }
        return new NumberValue(literal, 0, big, Double.NaN);
    }

    /**
     * Whether a JSON integer (no leading zeros) is within a long, decided on its digits: the
     * schemas' int64 bounds have 19 digits, and need no BigInteger (whose initialiser alone
     * costs ~0.25 ms interpreted).
     */
    private static boolean fitsLong(String literal) {
        boolean negative = literal.startsWith("-");
        int digits = literal.length() - (negative ? 1 : 0);
        if (digits != 19) {
            return digits < 19;
        }
        return literal.substring(literal.length() - 19)
                .compareTo(negative ? "9223372036854775808" : "9223372036854775807") <= 0;
    }

    /** A number with a fraction or an exponent, as written. */
    static JsonValue decimal(String literal) {
        return new NumberValue(literal, 0, null, Double.parseDouble(literal));
    }

    // Kinds.

    public boolean isObject() {
        return false;
    }

    public boolean isArray() {
        return false;
    }

    public final boolean isContainer() {
        return isObject() || isArray();
    }

    public boolean isString() {
        return false;
    }

    public boolean isNumber() {
        return false;
    }

    /** A number without fraction or exponent, of any size. */
    public boolean isIntegralNumber() {
        return false;
    }

    /** An integer beyond the range of {@code long}. */
    public boolean isBigInteger() {
        return false;
    }

    public boolean isBoolean() {
        return false;
    }

    public boolean isNull() {
        return false;
    }

    public boolean isMissingNode() {
        return false;
    }

    // Navigation.

    /** The member {@code name}, or null when absent or when this is not an object. */
    public JsonValue get(String name) {
        return null;
    }

    /** The element at {@code index}, or null when absent or when this is not an array. */
    public JsonValue get(int index) {
        return null;
    }

    /** Like {@link #get(String)}, but {@link #MISSING} instead of null. */
    public final JsonValue path(String name) {
        JsonValue v = get(name);
        return v == null ? MISSING : v;
    }

    public final JsonValue path(int index) {
        JsonValue v = get(index);
        return v == null ? MISSING : v;
    }

    public final boolean has(String name) {
        return get(name) != null;
    }

    /** Members of an object or elements of an array; 0 for anything else. */
    public int size() {
        return 0;
    }

    /** True for empty containers and for every scalar, as {@code JsonNode.isEmpty} is. */
    public final boolean isEmpty() {
        return size() == 0;
    }

    /** An object's member names in document order; empty for anything else. */
    public Collection<String> propertyNames() {
        return List.of();
    }

    /** An object's members in document order; empty for anything else. */
    public Set<Map.Entry<String, JsonValue>> properties() {
        return Set.of();
    }

    /** The elements of an array or the member values of an object. */
    @Override
    public Iterator<JsonValue> iterator() {
        return Collections.emptyIterator();
    }

    // Values.

    /** A string's value; null for anything else. */
    public String stringValue() {
        return null;
    }

    /** A scalar as text (a string's value, a number or boolean as written); "" otherwise. */
    public String asString() {
        return asString("");
    }

    /** Like {@link #asString()}, with {@code fallback} for containers, null and missing values. */
    public String asString(String fallback) {
        return fallback;
    }

    public boolean booleanValue() {
        return false;
    }

    public boolean canConvertToLong() {
        return false;
    }

    public boolean canConvertToInt() {
        return false;
    }

    /** An integer's value (wrapped for big ones), a decimal truncated; 0 for anything else. */
    public long longValue() {
        return 0;
    }

    public int asInt() {
        return (int) longValue();
    }

    public double doubleValue() {
        return 0;
    }

    /** An integer's exact value; null for anything else. */
    public BigInteger bigIntegerValue() {
        return null;
    }

    /** The value as compact JSON text. */
    @Override
    public final String toString() {
        return JsonWriter.toText(this);
    }

    public static final class ObjectValue extends JsonValue {
        private final Map<String, JsonValue> members;

        ObjectValue(Map<String, JsonValue> members) {
            this.members = members;
        }

        @Override
        public boolean isObject() {
            return true;
        }

        @Override
        public JsonValue get(String name) {
            return members.get(name);
        }

        @Override
        public int size() {
            return members.size();
        }

        @Override
        public Collection<String> propertyNames() {
            return members.keySet();
        }

        @Override
        public Set<Map.Entry<String, JsonValue>> properties() {
            return members.entrySet();
        }

        @Override
        public Iterator<JsonValue> iterator() {
            return members.values().iterator();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ObjectValue other && members.equals(other.members);
        }

        @Override
        public int hashCode() {
            return members.hashCode();
        }
    }

    public static final class ArrayValue extends JsonValue {
        private final List<JsonValue> elements;

        ArrayValue(List<JsonValue> elements) {
            this.elements = elements;
        }

        @Override
        public boolean isArray() {
            return true;
        }

        @Override
        public JsonValue get(int index) {
            return index >= 0 && index < elements.size() ? elements.get(index) : null;
        }

        @Override
        public int size() {
            return elements.size();
        }

        @Override
        public Iterator<JsonValue> iterator() {
            return elements.iterator();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ArrayValue other && elements.equals(other.elements);
        }

        @Override
        public int hashCode() {
            return elements.hashCode();
        }
    }

    public static final class StringValue extends JsonValue {
        private final String value;

        StringValue(String value) {
            this.value = java.util.Objects.requireNonNull(value);
        }

        @Override
        public boolean isString() {
            return true;
        }

        @Override
        public String stringValue() {
            return value;
        }

        @Override
        public String asString(String fallback) {
            return value;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof StringValue other && value.equals(other.value);
        }

        @Override
        public int hashCode() {
            return value.hashCode();
        }
    }

    /** A number as written in the document, with its value as a long, a BigInteger or a double. */
    public static final class NumberValue extends JsonValue {
        private final String literal;
        private final long longValue;
        private final BigInteger big;
        private final double decimal; // NaN for integers

        NumberValue(String literal, long longValue, BigInteger big, double decimal) {
            this.literal = literal;
            this.longValue = longValue;
            this.big = big;
            this.decimal = decimal;
        }

        private boolean integral() {
            return Double.isNaN(decimal);
        }

        @Override
        public boolean isNumber() {
            return true;
        }

        @Override
        public boolean isIntegralNumber() {
            return integral();
        }

        @Override
        public boolean isBigInteger() {
            return big != null;
        }

        @Override
        public boolean canConvertToLong() {
            return integral() ? big == null : decimal >= Long.MIN_VALUE && decimal <= Long.MAX_VALUE;
        }

        @Override
        public boolean canConvertToInt() {
            return canConvertToLong() && longValue() == (int) longValue();
        }

        @Override
        public long longValue() {
            if (!integral()) {
                return (long) decimal;
            }
            return big == null ? longValue : big.longValue();
        }

        @Override
        public double doubleValue() {
            if (!integral()) {
                return decimal;
            }
            return big == null ? longValue : big.doubleValue();
        }

        @Override
        public BigInteger bigIntegerValue() {
            if (!integral()) {
                return BigInteger.valueOf((long) decimal);
            }
            return big != null ? big : BigInteger.valueOf(longValue);
        }

        @Override
        public String asString(String fallback) {
            return literal;
        }

        String literal() {
            return literal;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof NumberValue other)) {
                return false;
            }
            if (integral() && other.integral()) {
                return bigIntegerValue().equals(other.bigIntegerValue());
            }
            return doubleValue() == other.doubleValue();
        }

        @Override
        public int hashCode() {
            return integral() && big == null ? Long.hashCode(longValue) : Double.hashCode(doubleValue());
        }
    }

    public static final class BooleanValue extends JsonValue {
        private final boolean value;

        private BooleanValue(boolean value) {
            this.value = value;
        }

        @Override
        public boolean isBoolean() {
            return true;
        }

        @Override
        public boolean booleanValue() {
            return value;
        }

        @Override
        public String asString(String fallback) {
            return Boolean.toString(value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BooleanValue other && value == other.value;
        }

        @Override
        public int hashCode() {
            return Boolean.hashCode(value);
        }
    }

    public static final class NullValue extends JsonValue {
        private NullValue() {}

        @Override
        public boolean isNull() {
            return true;
        }
    }

    public static final class MissingValue extends JsonValue {
        private MissingValue() {}

        @Override
        public boolean isMissingNode() {
            return true;
        }
    }
}
