package jrun.ttrpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.StringValue;
import com.google.protobuf.Timestamp;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ProtoWriter and Fields against protobuf-java's own generated well-known types. */
class ProtoCodecTest {
    @Test
    void timestampIsEncodedAsProtobufDoes() throws InvalidProtocolBufferException {
        long nanos = 1_765_000_000_123_456_789L;
        byte[] ours = new ProtoWriter().timestamp(1, nanos).toByteArray();
        Timestamp t = Timestamp.newBuilder().setSeconds(1_765_000_000L).setNanos(123_456_789).build();
        assertArrayEquals(StringWrapper.of(1, t.toByteString()), ours);
        Fields back = Fields.parse(ours).message(1);
        assertEquals(1_765_000_000L, back.uint(1));
        assertEquals(123_456_789L, back.uint(2));
    }

    @Test
    void anyIsEncodedAsProtobufDoes() throws InvalidProtocolBufferException {
        byte[] value = StringValue.of("x").toByteArray();
        Any any = Any.newBuilder().setTypeUrl("containerd.events.TaskOOM").setValue(ByteString.copyFrom(value)).build();
        assertArrayEquals(StringWrapper.of(4, any.toByteString()),
                new ProtoWriter().any(4, "containerd.events.TaskOOM", value).toByteArray());
    }

    @Test
    void defaultsAreLeftOutAndMessagesKept() {
        assertEquals(0, new ProtoWriter().string(1, "").uint(2, 0).bool(3, false).bytes(4, new byte[0]).toByteArray().length);
        assertArrayEquals(new byte[] {0x0a, 0}, new ProtoWriter().message(1, new ProtoWriter()).toByteArray());
    }

    @Test
    void fieldsReadScalarsRepeatedAndNested() throws InvalidProtocolBufferException {
        byte[] data = new ProtoWriter().string(1, "id").uint(3, 4_294_967_295L).bool(4, true)
                .string(5, "a").string(5, "b")
                .message(6, new ProtoWriter().string(1, "inner")).message(6, new ProtoWriter().string(1, "two"))
                .toByteArray();
        Fields f = Fields.parse(data);
        assertEquals("id", f.string(1));
        assertEquals(-1, f.uint32(3), "uint32 as Java's int bits");
        assertTrue(f.bool(4));
        assertEquals(List.of("a", "b"), f.strings(5));
        assertEquals("two", f.message(6).string(1), "the last of a repeated field, as protobuf merges");
        assertEquals(2, f.messages(6).size());
        assertFalse(f.has(2));
        assertEquals("", f.string(2));
        assertEquals(0, f.uint(2));
    }

    @Test
    void repeatedVarintsPackedOrNot() throws InvalidProtocolBufferException {
        byte[] unpacked = new ProtoWriter().uint64Always(4, 0).uint64Always(4, 300).toByteArray();
        assertEquals(List.of(0L, 300L), Fields.parse(unpacked).uints(4));
        byte[] packed = {0x22, 3, 0, (byte) 0xac, 0x02};
        assertEquals(List.of(0L, 300L), Fields.parse(packed).uints(4));
    }

    @Test
    void wrongWireTypesAndTruncationAreInvalid() {
        byte[] number = new ProtoWriter().uint(1, 5).toByteArray();
        assertThrows(InvalidProtocolBufferException.class, () -> Fields.parse(number).string(1));
        byte[] text = new ProtoWriter().string(1, "x").toByteArray();
        assertThrows(InvalidProtocolBufferException.class, () -> Fields.parse(text).uint(1));
        assertThrows(InvalidProtocolBufferException.class, () -> Fields.parse(new byte[] {0x0a, 5, 1}));
        // wire type 3 (start group): not used by any message the shim reads
        assertThrows(InvalidProtocolBufferException.class, () -> Fields.parse(new byte[] {0x0b}));
        assertThrows(InvalidProtocolBufferException.class,
                () -> Fields.parse(new byte[] {0x0a, 1, (byte) 0xff}).string(1), "not UTF-8");
    }

    /** A message holding {@code value} as field {@code field}, encoded by protobuf-java. */
    private static final class StringWrapper {
        static byte[] of(int field, ByteString value) {
            ByteString.Output out = ByteString.newOutput();
            try {
                com.google.protobuf.CodedOutputStream c = com.google.protobuf.CodedOutputStream.newInstance(out);
                c.writeBytes(field, value);
                c.flush();
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            return out.toByteString().toByteArray();
        }
    }
}
