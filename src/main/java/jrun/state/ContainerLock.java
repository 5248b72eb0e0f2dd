package jrun.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;

/**
 * An exclusive lock on one container, held from {@link StateStore#lock} or
 * {@link StateStore#create} until {@link #close}: two jrun processes never act on the same
 * container at once.
 *
 * <p>It is a POSIX record lock ({@code fcntl(F_SETLKW)}, what {@link FileChannel#lock} uses) on
 * the container's lock file. Such a lock belongs to the process: it is not inherited by the
 * container's processes, it is released if the process dies, and it is dropped if the process
 * closes any other descriptor of the lock file, so nothing but this class opens it. One process
 * must not lock the same container twice (the JDK refuses).
 *
 * <p>When a container is removed, its lock file is first marked (a non-empty file is a
 * tombstone), so a process that was waiting for the lock learns, once it gets it, that the
 * container it waited for is gone, and looks again.
 */
public final class ContainerLock implements AutoCloseable {
    private final String id;
    private final Path containerDir;
    private final FileChannel channel;
    private final FileLock lock;

    ContainerLock(String id, Path containerDir, FileChannel channel, FileLock lock) {
        this.id = id;
        this.containerDir = containerDir;
        this.channel = channel;
        this.lock = lock;
    }

    public String id() {
        return id;
    }

    /** The container's directory (where it was when locked; {@link StateStore#remove} moves it). */
    public Path containerDir() {
        return containerDir;
    }

    void markTombstone() {
        try {
            channel.write(ByteBuffer.wrap(new byte[] {'x'}), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot mark the lock file of container " + id + " as removed", e);
        }
    }

    public boolean isHeld() {
        return lock.isValid();
    }

    @Override
    public void close() {
        try {
            // Closing the channel releases the lock.
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the lock of container " + id, e);
        }
    }
}
