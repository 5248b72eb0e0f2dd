package jrun.sys;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Writing an fd jrun holds as a bare number, e.g. a hook's stdin; see {@link FdInputStream}. */
public final class FdOutputStream extends OutputStream {
    private final int fd;
    private boolean closed;

    /** Takes {@code fd} over: {@link #close} closes it. */
    public FdOutputStream(int fd) {
        this.fd = fd;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(1, len));
            NativeCopy.put(b, off, buf, 0, len);
            long done = 0;
            while (done < len) {
                long n = Sys.attempt(SyscallNr.WRITE, fd, buf.address() + done, len - done);
                if (n < 0) {
                    throw new IOException("write: " + Errno.describe((int) -n));
                }
                done += n;
            }
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
