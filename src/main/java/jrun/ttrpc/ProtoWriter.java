package jrun.ttrpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Builds a protobuf message field by field, leaving out proto3 defaults (empty strings, zero
 * numbers, false) as protobuf's own encoders do; messages are written even when empty.
 */
public final class ProtoWriter {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

    public ProtoWriter string(int field, String value) {
        if (value != null && !value.isEmpty()) {
            run(() -> out.writeString(field, value));
        }
        return this;
    }

    public ProtoWriter uint(int field, long value) {
        if (value != 0) {
            run(() -> out.writeUInt64(field, value));
        }
        return this;
    }

    /** One element of a repeated uint64 field, written even when zero (a CPU that did nothing still counts). */
    public ProtoWriter uint64Always(int field, long value) {
        run(() -> out.writeUInt64(field, value));
        return this;
    }

    /** A signed int32/int64 field: negative values take ten bytes, as protobuf encodes them. */
    public ProtoWriter int64(int field, long value) {
        if (value != 0) {
            run(() -> out.writeInt64(field, value));
        }
        return this;
    }

    public ProtoWriter bool(int field, boolean value) {
        if (value) {
            run(() -> out.writeBool(field, true));
        }
        return this;
    }

    public ProtoWriter bytes(int field, byte[] value) {
        if (value != null && value.length > 0) {
            run(() -> out.writeByteArray(field, value));
        }
        return this;
    }

    public ProtoWriter message(int field, ProtoWriter message) {
        if (message != null) {
            ByteString b = ByteString.copyFrom(message.toByteArray());
            run(() -> out.writeBytes(field, b));
        }
        return this;
    }

    /** google.protobuf.Any: a type URL and the message's bytes. */
    public ProtoWriter any(int field, String typeUrl, byte[] value) {
        return message(field, new ProtoWriter().string(1, typeUrl).bytes(2, value));
    }

    /** google.protobuf.Timestamp of an instant in nanoseconds since the epoch. */
    public ProtoWriter timestamp(int field, long epochNanos) {
        return message(field, new ProtoWriter().int64(1, Math.floorDiv(epochNanos, 1_000_000_000L))
                .int64(2, Math.floorMod(epochNanos, 1_000_000_000L)));
    }

    public byte[] toByteArray() {
        run(out::flush);
        return bytes.toByteArray();
    }

    private interface Write {
        void run() throws IOException;
    }

    private static void run(Write w) {
        try {
            w.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
    }
}
