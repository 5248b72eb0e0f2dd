package jrun.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A console socket's two ends on the real kernel (no root needed): what a sender leaves queued
 * before it goes (the connection, its message and the fd) is there for a later accept, as the
 * shim reads what a fresh jrun sent before it exited.
 */
class UnixSocketTest {
    @TempDir
    Path tmp;

    @Test
    void aConnectionAndItsFdWaitForALaterAccept() {
        String path = tmp.resolve("console.sock").toString();
        int listening = UnixSocket.listen(path);
        assertTrue(listening >= 0, "listen: " + listening);
        Pipe pipe = Pipe.open("a test");
        try {
            assertEquals(-Errno.EAGAIN, UnixSocket.accept(listening), "no one has connected yet");
            int sender = UnixSocket.connect(path);
            assertTrue(sender >= 0, "connect: " + sender);
            assertEquals(0, UnixSocket.sendWithFd(sender, "master".getBytes(StandardCharsets.UTF_8), pipe.write()));
            Sys.attempt(SyscallNr.CLOSE, sender);

            int connection = UnixSocket.accept(listening);
            assertTrue(connection >= 0, "accept: " + connection);
            byte[] data = new byte[16];
            int[] length = new int[1];
            int fd = UnixSocket.receiveFd(connection, data, length);
            Sys.attempt(SyscallNr.CLOSE, connection);
            assertTrue(fd >= 0, "receive: " + fd);
            assertEquals("master", new String(data, 0, length[0], StandardCharsets.UTF_8));
            // the fd received is the pipe's write end: what goes in comes out of the read end
            try {
                new FdOutputStream(fd).write('x');
                assertEquals('x', new FdInputStream(pipe.read()).read());
            } finally {
                Sys.attempt(SyscallNr.CLOSE, fd);
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        } finally {
            Sys.attempt(SyscallNr.CLOSE, listening);
            Sys.attempt(SyscallNr.CLOSE, pipe.read());
            Sys.attempt(SyscallNr.CLOSE, pipe.write());
        }
    }
}
