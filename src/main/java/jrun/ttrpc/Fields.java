package jrun.ttrpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoded protobuf message as its fields by number: varints and fixed-width values as longs,
 * length-delimited ones as bytes. Getters give proto3's defaults for absent fields and the last
 * value of a repeated scalar, as protobuf does; a value of the wrong wire type is an error.
 */
public final class Fields {
    private final Map<Integer, List<Object>> values;

    private Fields(Map<Integer, List<Object>> values) {
        this.values = values;
    }

    public static Fields parse(byte[] data) throws InvalidProtocolBufferException {
        return parse(ByteString.copyFrom(data));
    }

    public static Fields parse(ByteString data) throws InvalidProtocolBufferException {
        Map<Integer, List<Object>> values = new HashMap<>();
        CodedInputStream in = data.newCodedInput();
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                Object value = switch (WireFormat.getTagWireType(tag)) {
                    case WireFormat.WIRETYPE_VARINT -> in.readRawVarint64();
                    case WireFormat.WIRETYPE_FIXED64 -> in.readRawLittleEndian64();
                    case WireFormat.WIRETYPE_FIXED32 -> (long) in.readRawLittleEndian32();
                    case WireFormat.WIRETYPE_LENGTH_DELIMITED -> in.readBytes();
                    default -> throw new InvalidProtocolBufferException(
                            "field " + WireFormat.getTagFieldNumber(tag) + ": unsupported wire type "
                                    + WireFormat.getTagWireType(tag));
                };
                values.computeIfAbsent(WireFormat.getTagFieldNumber(tag), k -> new ArrayList<>()).add(value);
            }
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidProtocolBufferException(e);
        }
        return new Fields(values);
    }

    public boolean has(int field) {
        return values.containsKey(field);
    }

    public long uint(int field) throws InvalidProtocolBufferException {
        Object v = last(field);
        if (v == null) {
            return 0;
        }
        if (!(v instanceof Long l)) {
            throw wrongType(field, "a number");
        }
        return l;
    }

    public int uint32(int field) throws InvalidProtocolBufferException {
        return (int) uint(field);
    }

    public boolean bool(int field) throws InvalidProtocolBufferException {
        return uint(field) != 0;
    }

    public ByteString bytes(int field) throws InvalidProtocolBufferException {
        Object v = last(field);
        if (v == null) {
            return ByteString.EMPTY;
        }
        if (!(v instanceof ByteString b)) {
            throw wrongType(field, "length-delimited data");
        }
        return b;
    }

    public String string(int field) throws InvalidProtocolBufferException {
        ByteString b = bytes(field);
        if (!b.isValidUtf8()) {
            throw new InvalidProtocolBufferException("field " + field + ": not UTF-8");
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    /** An embedded message; empty when absent. */
    public Fields message(int field) throws InvalidProtocolBufferException {
        return parse(bytes(field));
    }

    /** Every value of a repeated message field, in order. */
    public List<Fields> messages(int field) throws InvalidProtocolBufferException {
        List<Fields> out = new ArrayList<>();
        for (Object v : values.getOrDefault(field, List.of())) {
            if (!(v instanceof ByteString b)) {
                throw wrongType(field, "messages");
            }
            out.add(parse(b));
        }
        return out;
    }

    /** Every value of a repeated varint field, in order, packed or not. */
    public List<Long> uints(int field) throws InvalidProtocolBufferException {
        List<Long> out = new ArrayList<>();
        for (Object v : values.getOrDefault(field, List.of())) {
            if (v instanceof Long l) {
                out.add(l);
            } else {
                CodedInputStream in = ((ByteString) v).newCodedInput();
                try {
                    while (!in.isAtEnd()) {
                        out.add(in.readRawVarint64());
                    }
                } catch (InvalidProtocolBufferException e) {
                    throw e;
                } catch (IOException e) {
                    throw new InvalidProtocolBufferException(e);
                }
            }
        }
        return out;
    }

    /** Every value of a repeated string field, in order. */
    public List<String> strings(int field) throws InvalidProtocolBufferException {
        List<String> out = new ArrayList<>();
        for (Object v : values.getOrDefault(field, List.of())) {
            if (!(v instanceof ByteString b) || !b.isValidUtf8()) {
                throw wrongType(field, "UTF-8 strings");
            }
            out.add(b.toString(StandardCharsets.UTF_8));
        }
        return out;
    }

    private Object last(int field) {
        List<Object> list = values.get(field);
        return list == null ? null : list.get(list.size() - 1);
    }

    private static InvalidProtocolBufferException wrongType(int field, String expected) {
        return new InvalidProtocolBufferException("field " + field + ": expected " + expected);
    }
}
