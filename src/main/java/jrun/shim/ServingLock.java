package jrun.shim;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A record lock ({@code fcntl}) on {@code SOCKET.lock}, held by the shim serving the group's
 * socket from the moment its socket listens until it lets the socket go, so that the start
 * sub-command of the group's next container learns that a shim serves from a file lock instead
 * of a connection: a {@code SocketChannel}'s first use initialises NIO's networking (its native
 * libraries, selector provider, properties), measured 25-70 ms of the interpreted start JVM,
 * where opening and testing the lock took 1-4 ms. The kernel drops the lock with the process,
 * so a shim killed with SIGKILL holds nothing. The lock is a hint only: without it, start falls
 * back to connecting and binding, and the socket's bind stays what decides which JVM serves.
 * Record locks are not inherited through fork, so the containers never hold it.
 */
record ServingLock(FileChannel channel, Path path) {
    static Path of(Path socket) {
        return socket.resolveSibling(socket.getFileName() + ".lock");
    }

    /** Whether a live shim holds the lock of {@code socket}: it serves there. */
    static boolean held(Path socket) {
        try (FileChannel c = FileChannel.open(of(socket), StandardOpenOption.WRITE)) {
            FileLock lock = c.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return false; // start goes the slow way: it connects
        }
    }

    /**
     * Takes the lock of {@code socket}, which this JVM now serves; null when it cannot (a shim
     * that is letting the socket go may hold it a moment longer: it served the same path).
     */
    static ServingLock take(Path socket) {
        Path path = of(socket);
        FileChannel c = null;
        try {
            c = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (c.tryLock() != null) {
                return new ServingLock(c, path);
            }
        } catch (IOException e) {
            // no lock: the group's next starts connect instead
        }
        close(c);
        return null;
    }

    /** Before the socket goes: the lock released and its file removed. */
    void release() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // left behind, it is only ever tried, never trusted while unheld
        }
        close(channel);
    }

    /** The lock file of a dead shim's socket, removed with it. */
    static void removeStale(Path socket) throws IOException {
        Files.deleteIfExists(of(socket));
    }

    private static void close(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // closing drops the lock all the same
            }
        }
    }
}
