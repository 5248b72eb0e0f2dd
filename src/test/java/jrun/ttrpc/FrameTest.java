package jrun.ttrpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class FrameTest {
    @Test
    void headerIsLengthStreamTypeFlagsBigEndian() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Frame(0x01020304, Frame.TYPE_RESPONSE, 0x05, new byte[] {9, 8, 7}).write(out);
        assertArrayEquals(new byte[] {0, 0, 0, 3, 1, 2, 3, 4, 2, 5, 9, 8, 7}, out.toByteArray());
    }

    @Test
    void readsBackWhatItWrites() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Frame(1, Frame.TYPE_REQUEST, 0, new byte[] {42}).write(out);
        new Frame(3, Frame.TYPE_REQUEST, 0, new byte[0]).write(out);
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        Frame first = Frame.read(in);
        assertEquals(1, first.streamId());
        assertArrayEquals(new byte[] {42}, first.data());
        Frame second = Frame.read(in);
        assertEquals(3, second.streamId());
        assertEquals(0, second.data().length);
        assertNull(Frame.read(in), "the end between frames is a clean end");
    }

    @Test
    void streamIdsAboveIntMaxSurvive() throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(new byte[] {0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                (byte) 0xfd, 1, 0});
        assertEquals(0xfffffffdL, Integer.toUnsignedLong(Frame.read(in).streamId()));
    }

    @Test
    void aConnectionEndingInsideAHeaderOrTheDataIsAnError() {
        assertThrows(EOFException.class, () -> Frame.read(new ByteArrayInputStream(new byte[] {0, 0, 0})));
        assertThrows(EOFException.class, () -> Frame.read(new ByteArrayInputStream(
                new byte[] {0, 0, 0, 5, 0, 0, 0, 1, 1, 0, 1, 2})));
    }

    @Test
    void anOversizedMessageIsSkippedAndNamesItsStream() throws IOException {
        int length = Frame.MAX_DATA_LENGTH + 1;
        byte[] wire = new byte[Frame.HEADER_LENGTH + length + 11];
        wire[0] = (byte) (length >>> 24);
        wire[1] = (byte) (length >>> 16);
        wire[2] = (byte) (length >>> 8);
        wire[3] = (byte) length;
        wire[7] = 7;
        wire[8] = Frame.TYPE_REQUEST;
        // a well-formed frame right after the oversized one
        int next = Frame.HEADER_LENGTH + length;
        wire[next + 3] = 1;
        wire[next + 7] = 9;
        wire[next + 8] = Frame.TYPE_REQUEST;
        wire[next + 10] = 42;
        ByteArrayInputStream in = new ByteArrayInputStream(wire);
        Frame.TooLongException e = assertThrows(Frame.TooLongException.class, () -> Frame.read(in));
        assertEquals(7, e.streamId());
        Frame after = Frame.read(in);
        assertEquals(9, after.streamId());
        assertArrayEquals(new byte[] {42}, after.data());
    }
}
