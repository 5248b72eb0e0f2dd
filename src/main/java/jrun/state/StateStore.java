package jrun.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import jrun.base.JrunException;

/**
 * Container state under {@code --root}: one directory per container, named by its id, holding
 * {@code state.json}, the lock file and the exec fifo.
 *
 * <p>What other processes can observe is always whole:
 * <ul>
 * <li>{@link #save} writes a temporary file and renames it over {@code state.json},
 *     so a reader, locked or not, sees the old state or the new one, never a part;
 * <li>{@link #create} builds the directory (lock file, locked, and first state) under a
 *     temporary name and renames it into place, so a container directory never exists without
 *     its lock and state;
 * <li>{@link #remove} renames the directory away before deleting its content.
 * </ul>
 * Temporary names contain {@code ~}, which no container id may, so they never collide with a
 * container and {@link #list} skips them. Ids are validated before any path is built from them.
 */
public final class StateStore {
    public static final String STATE_FILE = "state.json";
    public static final String LOCK_FILE = "lock";
    public static final String EXEC_FIFO = "exec.fifo";

    private static final String STAGING_PREFIX = "~new-";
    private static final String REMOVING_PREFIX = "~del-";
    /** Bounds the retries of a lock whose container was removed and re-created meanwhile. */
    private static final int LOCK_ATTEMPTS = 100;
    private static final AtomicLong UNIQUE = new AtomicLong();
    // No EnumSet here, nor PosixFilePermissions.fromString or Files.walkFileTree, which make
    // one: an EnumSet's first use reflects on its enum's values(), on
    // every create and delete.
    private static final Set<StandardOpenOption> CREATE_WRITE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    private static final Set<StandardOpenOption> CREATE_READ_WRITE =
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    /** As runc's state.json: annotations may hold what other users should not read. */
    private static final FileAttribute<?> OWNER_ONLY = PosixFilePermissions.asFileAttribute(permissions("rw-------"));

    private final Path root;

    public StateStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path containerDir(String id) {
        return root.resolve(ContainerId.validate(id));
    }

    public Path stateFile(String id) {
        return containerDir(id).resolve(STATE_FILE);
    }

    /** Where a created container's process waits for {@code start}. */
    public Path execFifo(String id) {
        return containerDir(id).resolve(EXEC_FIFO);
    }

    /**
     * Creates the container {@code initial.id()} with {@code initial} as its state, and returns
     * its lock, held: the caller finishes setting it up before anyone else may act on it.
     * Creates the root directory (mode 0700) if needed.
     *
     * @throws JrunException {@code container with id exists: <id>} (runc's words)
     */
    public ContainerLock create(ContainerState initial) {
        String id = initial.id();
        Path target = containerDir(id);
        ensureRoot();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw exists(id);
        }
        Path staging = root.resolve(STAGING_PREFIX + uniqueSuffix());
        FileChannel channel = null;
        try {
            Files.createDirectory(staging);
            // runc's mode: others may traverse (a container process may have to reach the fifo)
            // but not list.
            Files.setPosixFilePermissions(staging, permissions("rwx--x--x"));
            channel = FileChannel.open(staging.resolve(LOCK_FILE), CREATE_READ_WRITE, OWNER_ONLY);
            FileLock lock = channel.lock();
            writeAtomically(staging, STATE_FILE, StateJson.toFile(initial));
            try {
                // rename(2): fails if the target is a non-empty directory, i.e. a container.
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileSystemException e) {
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw exists(id);
                }
                throw e;
            }
            return new ContainerLock(id, target, channel, lock);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            deleteRecursivelyQuietly(staging);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new JrunException("cannot create the state directory of container " + id + " in " + root + ": " + e, e);
        }
    }

    /**
     * Waits for and takes the container's lock. Once it is held the container still exists
     * (a removal that happened while waiting is noticed, and the id is looked up again).
     *
     * @throws ContainerNotFoundException if there is no such container
     */
    public ContainerLock lock(String id) {
        Path dir = containerDir(id);
        for (int attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
            FileChannel channel;
            try {
                // Never CREATE: the lock file comes only from create(), so a directory without
                // one is not a container (and a directory being removed cannot get a new one).
                channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (NoSuchFileException e) {
                throw new ContainerNotFoundException(id);
            } catch (IOException e) {
                throw new JrunException("cannot open the lock file of container " + id + ": " + e, e);
            }
            try {
                FileLock lock = channel.lock();
                if (channel.size() == 0) {
                    return new ContainerLock(id, dir, channel, lock);
                }
                // A tombstone: the container was removed while we waited; the id may be in use
                // again by a new container, with a new lock file.
            } catch (OverlappingFileLockException e) {
                closeQuietly(channel);
                throw new IllegalStateException("container " + id + " is already locked by this process", e);
            } catch (IOException e) {
                closeQuietly(channel);
                throw new JrunException("cannot lock container " + id + ": " + e, e);
            }
            closeQuietly(channel);
        }
        throw new JrunException("cannot lock container " + id + ": it was removed and re-created "
                + LOCK_ATTEMPTS + " times while waiting");
    }

    /**
     * The saved state of a container. Needs no lock: saves are atomic.
     *
     * @throws ContainerNotFoundException if there is no such container
     */
    public ContainerState load(String id) {
        Path file = stateFile(id);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ContainerNotFoundException(id);
        } catch (IOException e) {
            throw new JrunException("cannot read the state of container " + id + ": " + e, e);
        }
        ContainerState state = StateJson.fromFile(bytes, file);
        if (!state.id().equals(id)) {
            throw new JrunException("corrupt container state " + file + ": it is the state of \"" + state.id() + "\"");
        }
        return state;
    }

    /**
     * Saves another file of the container's state (what later commands need from its config,
     * e.g. its hooks) the way state.json is saved: owner-only, renamed into place.
     */
    public void saveFile(String id, String name, byte[] content) {
        write(id, name, content, containerDir(id).resolve(name).toString());
    }

    /** Replaces the saved state atomically. The caller should hold the container's lock. */
    public void save(ContainerState state) {
        stage(state).commit();
    }

    /**
     * Writes the state beside state.json, for {@link Staged#commit()} to put in place later:
     * create writes it while the init sets the container up, and renames it once that
     * succeeded (off create's serial path). The caller should hold the container's lock.
     */
    public Staged stage(ContainerState state) {
        String what = "the state of container " + state.id();
        try {
            Path dir = existingDir(state.id());
            return new Staged(stageFile(dir, STATE_FILE, StateJson.toFile(state)), dir.resolve(STATE_FILE), what);
        } catch (IOException e) {
            throw new JrunException("cannot save " + what + ": " + e, e);
        }
    }

    /** A file written under a temporary name of its directory, not yet renamed over its target. */
    public static final class Staged {
        private final Path temp;
        private final Path target;
        private final String what;

        private Staged(Path temp, Path target, String what) {
            this.temp = temp;
            this.target = target;
            this.what = what;
        }

        /** Renames the file over its target: readers see the old content or the new, never a part. */
        public void commit() {
            try {
                commitFile(temp, target);
            } catch (IOException e) {
                throw new JrunException("cannot save " + what + ": " + e, e);
            }
        }

        /** Removes the file (after a failure: whatever the failure was, this adds none). */
        public void discard() {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // the container's directory, where it lies, is removed with the failed container
            }
        }
    }

    /** Writes one file of an existing container's directory; {@code what} names it in errors. */
    private void write(String id, String name, byte[] content, String what) {
        try {
            writeAtomically(existingDir(id), name, content);
        } catch (IOException e) {
            throw new JrunException("cannot save " + what + ": " + e, e);
        }
    }

    private Path existingDir(String id) {
        Path dir = containerDir(id);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new ContainerNotFoundException(id);
        }
        return dir;
    }

    /** Every container with a readable state, by id. */
    public List<ContainerState> list() {
        return list(problem -> {});
    }

    /** Every container with a readable state, by id; each directory that is not one (no or a
     *  corrupt state file) is reported to {@code problems} and skipped, as runc does. */
    public List<ContainerState> list(Consumer<String> problems) {
        List<ContainerState> states = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return states;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!ContainerId.isValid(name) || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try {
                    states.add(load(name));
                } catch (ContainerNotFoundException e) {
                    // Removed since the directory was read (removal renames it away), or junk.
                    if (Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) {
                        problems.accept("load container " + name + ": " + e.getMessage());
                    }
                } catch (JrunException e) {
                    problems.accept("load container " + name + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new JrunException("cannot list containers in " + root + ": " + e, e);
        }
        states.sort(Comparator.comparing(ContainerState::id));
        return states;
    }

    /**
     * The owner of the container's state directory, as {@code runc list} shows it: a user name,
     * or {@code #uid} when the uid has none.
     */
    public String owner(String id) {
        try {
            String name = Files.readAttributes(containerDir(id), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .owner().getName();
            // The JDK names a uid without a passwd entry by its number.
            return !name.isEmpty() && name.chars().allMatch(Character::isDigit) ? "#" + name : name;
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Removes the locked container's directory and everything in it. Waiters for its lock find
     * the tombstone; new lookups find nothing at once. The lock stays held until closed.
     */
    public void remove(ContainerLock held) {
        if (!held.isHeld()) {
            throw new IllegalStateException("the lock of container " + held.id() + " is not held");
        }
        held.markTombstone();
        Path grave = root.resolve(REMOVING_PREFIX + uniqueSuffix());
        try {
            Files.move(held.containerDir(), grave, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new JrunException("cannot remove the state of container " + held.id() + ": " + e, e);
        }
        try {
            deleteRecursively(grave);
        } catch (IOException e) {
            throw new JrunException("cannot remove " + grave + " (the state of container " + held.id() + "): " + e, e);
        }
    }

    /** Locks and removes the container. */
    public void remove(String id) {
        try (ContainerLock lock = lock(id)) {
            remove(lock);
        }
    }

    /**
     * Removes what is left under the id of something that is not a container (a directory
     * without a lock or state file), as {@code runc delete --force} does; a real container,
     * which may have appeared meanwhile, is left alone.
     *
     * @return whether there was something to remove
     */
    public boolean removeLeftovers(String id) {
        Path dir = containerDir(id);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)
                || (Files.exists(dir.resolve(LOCK_FILE)) && Files.exists(dir.resolve(STATE_FILE)))) {
            return false;
        }
        Path grave = root.resolve(REMOVING_PREFIX + uniqueSuffix());
        try {
            Files.move(dir, grave, StandardCopyOption.ATOMIC_MOVE);
            deleteRecursively(grave);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new JrunException("cannot remove " + dir + ": " + e, e);
        }
    }

    private void ensureRoot() {
        if (Files.isDirectory(root)) {
            return;
        }
        try {
            Files.createDirectories(root, PosixFilePermissions.asFileAttribute(permissions("rwx------")));
        } catch (IOException e) {
            throw new JrunException("cannot create the state root " + root + ": " + e, e);
        }
    }

    /**
     * Temp file in the same directory, written and renamed over the target: readers see the old
     * content or the new, never a part. Not fsynced, as runc does not: the state describes
     * processes that a crash ends, and --root is normally a tmpfs (/run). What a crash can leave
     * on a disk, an empty or stale state file, makes the container's state corrupt, and
     * {@code delete --force} removes a container whose state is corrupt. (On a disk the two syncs
     * are a visible part of a create.)
     */
    private static void writeAtomically(Path dir, String name, byte[] content) throws IOException {
        commitFile(stageFile(dir, name, content), dir.resolve(name));
    }

    /** The temp file of {@link #writeAtomically}, written. */
    private static Path stageFile(Path dir, String name, byte[] content) throws IOException {
        Path temp = dir.resolve(name + "." + uniqueSuffix() + ".tmp");
        try (FileChannel out = FileChannel.open(temp, CREATE_WRITE, OWNER_ONLY)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }

    private static void commitFile(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** Unique among processes (pid) and within one (counter); no SecureRandom, whose seeding
     *  would cost start-up time. */
    private static String uniqueSuffix() {
        return OwnPid.VALUE + "-" + System.nanoTime() + "-" + UNIQUE.incrementAndGet();
    }

    /**
     * This process's pid, from /proc/self: {@code ProcessHandle.current()} initialises the JDK's
     * process-reaper thread pool on first use, on create's path.
     */
    private static final class OwnPid {
        static final String VALUE = read();

        private static String read() {
            try {
                return Files.readSymbolicLink(Path.of("/proc/self")).toString();
            } catch (IOException | UnsupportedOperationException e) {
                return Long.toString(ProcessHandle.current().pid());
            }
        }
    }

    /** Deletes {@code dir} and what it holds; a symbolic link is deleted, never followed. */
    private static void deleteRecursively(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    deleteRecursively(entry);
                } else {
                    Files.delete(entry);
                }
            }
        }
        Files.delete(dir);
    }

    /** What {@code PosixFilePermissions.fromString} gives, in a set that is not an EnumSet. */
    static Set<PosixFilePermission> permissions(String rwx) {
        PosixFilePermission[] all = PosixFilePermission.values(); // in rwx order: owner, group, others
        if (rwx.length() != all.length) {
            throw new IllegalArgumentException("not nine rwx characters: " + rwx);
        }
        Set<PosixFilePermission> set = new HashSet<>();
        for (int i = 0; i < all.length; i++) {
            if (rwx.charAt(i) != '-') {
                set.add(all[i]);
            }
        }
        return set;
    }

    private static void deleteRecursivelyQuietly(Path dir) {
        try {
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                deleteRecursively(dir);
            }
        } catch (IOException ignored) {
            // Best effort after a failed create: a leftover "~new-" directory is never listed.
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing to do: the lock is released with the descriptor either way.
            }
        }
    }

    private static JrunException exists(String id) {
        return new JrunException("container with id exists: " + id);
    }
}
