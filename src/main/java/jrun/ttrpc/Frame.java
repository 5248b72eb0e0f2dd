package jrun.ttrpc;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One ttrpc message on the wire: a 10-byte header (data length and stream id as big-endian
 * uint32, message type, flags) and the data, a protobuf Request or Response.
 */
public record Frame(int streamId, int type, int flags, byte[] data) {
    public static final int HEADER_LENGTH = 10;
    /** ttrpc's messageLengthMax: a longer message is discarded and answered ResourceExhausted. */
    public static final int MAX_DATA_LENGTH = 4 << 20;
    public static final int TYPE_REQUEST = 1;
    public static final int TYPE_RESPONSE = 2;

    /** A header whose data is longer than {@link #MAX_DATA_LENGTH}; the data has been skipped. */
    public static final class TooLongException extends IOException {
        private final int streamId;

        TooLongException(int streamId, long length) {
            super("message length " + length + " exceeds the maximum message size of " + MAX_DATA_LENGTH);
            this.streamId = streamId;
        }

        public int streamId() {
            return streamId;
        }
    }

    /**
     * Reads the next frame; null at the end of the stream between frames. A stream that ends
     * inside a frame throws {@link EOFException}.
     */
    public static Frame read(InputStream in) throws IOException {
        byte[] header = new byte[HEADER_LENGTH];
        int got = in.readNBytes(header, 0, HEADER_LENGTH);
        if (got == 0) {
            return null;
        }
        if (got < HEADER_LENGTH) {
            throw new EOFException("ttrpc: the connection ended inside a message header (" + got + " of "
                    + HEADER_LENGTH + " bytes)");
        }
        long length = uint32(header, 0);
        int streamId = (int) uint32(header, 4);
        if (length > MAX_DATA_LENGTH) {
            long skipped = in.skip(length);
            while (skipped < length && in.read() >= 0) {
                skipped++;
            }
            throw new TooLongException(streamId, length);
        }
        byte[] data = in.readNBytes((int) length);
        if (data.length < length) {
            throw new EOFException("ttrpc: the connection ended inside a message (" + data.length + " of " + length
                    + " bytes)");
        }
        return new Frame(streamId, header[8] & 0xff, header[9] & 0xff, data);
    }

    /** Writes header and data in one write, so that frames of concurrent writers never interleave. */
    public void write(OutputStream out) throws IOException {
        if (data.length > MAX_DATA_LENGTH) {
            throw new IOException("ttrpc: message of " + data.length + " bytes exceeds the maximum of "
                    + MAX_DATA_LENGTH);
        }
        byte[] wire = new byte[HEADER_LENGTH + data.length];
        putUint32(wire, 0, data.length);
        putUint32(wire, 4, streamId);
        wire[8] = (byte) type;
        wire[9] = (byte) flags;
        System.arraycopy(data, 0, wire, HEADER_LENGTH, data.length);
        out.write(wire);
        out.flush();
    }

    private static long uint32(byte[] b, int at) {
        return ((b[at] & 0xffL) << 24) | ((b[at + 1] & 0xffL) << 16) | ((b[at + 2] & 0xffL) << 8) | (b[at + 3] & 0xffL);
    }

    private static void putUint32(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
