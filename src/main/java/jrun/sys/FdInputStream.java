package jrun.sys;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Reading an fd jrun holds as a bare number, e.g. a pipe from a hook (java.io cannot adopt
 * one). Each read blocks in a downcall, which pins a virtual thread to its carrier: read it
 * from a platform thread.
 */
public final class FdInputStream extends InputStream {
    private final int fd;
    private boolean closed;

    /** Takes {@code fd} over: {@link #close} closes it. */
    public FdInputStream(int fd) {
        this.fd = fd;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(1, len));
            long n = Sys.attempt(SyscallNr.READ, fd, buf.address(), len);
            if (n < 0) {
                throw new IOException("read: " + Errno.describe((int) -n));
            }
            if (n == 0) {
                return -1;
            }
            NativeCopy.get(buf, 0, b, off, (int) n);
            return (int) n;
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Sys.attempt(SyscallNr.CLOSE, fd);
        }
    }
}
