package jrun.process;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static jrun.sys.Kernel.AT_EMPTY_PATH;
import static jrun.sys.Kernel.AT_SYMLINK_NOFOLLOW;
import static jrun.sys.Kernel.O_CLOEXEC;
import static jrun.sys.Kernel.O_CREAT;
import static jrun.sys.Kernel.O_DIRECTORY;
import static jrun.sys.Kernel.O_EXCL;
import static jrun.sys.Kernel.O_NOCTTY;
import static jrun.sys.Kernel.O_NOFOLLOW;
import static jrun.sys.Kernel.O_NONBLOCK;
import static jrun.sys.Kernel.O_PATH;
import static jrun.sys.Kernel.O_RDONLY;
import static jrun.sys.Kernel.O_WRONLY;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import jrun.base.JrunException;
import jrun.linux.IdMaps;
import jrun.linux.MountStep;
import jrun.sys.Sys;
import jrun.sys.SysException;
import jrun.sys.SyscallNr;

/**
 * runc's {@code tmpcopyup}: fills a new tmpfs with what the image has in the directory the tmpfs
 * is about to cover (files, directories, symlinks, device nodes and fifos, with their modes and
 * owners; the tmpfs's root has the image directory's mode from the planner, as every tmpfs
 * without {@code mode=}: ContainerPlanner.keepImageDirectoryMode). runc 1.1's copy, measured
 * here, fails on a fifo where jrun copies it.
 *
 * <p>Done by jrun, not by the init: a recursive walk needs buffers and a stack of directories
 * that grow with the image, and the forked init may allocate nothing (a GC
 * needs threads the child does not have). The init
 * mounts the tmpfs detached, parks it and the destination directory (resolved in the rootfs)
 * on two fd numbers jrun reserved, and waits; jrun takes both with pidfd_getfd, copies, and lets
 * it go on to attach the tmpfs. The destination is the one the container will see: resolved by
 * the init with every earlier mount of the config in place.
 *
 * <p>The image is the attacker's: every step is relative to a directory fd, by a single name
 * from getdents64, with O_NOFOLLOW / AT_SYMLINK_NOFOLLOW, so a symlink is copied as a symlink
 * and never followed; a regular file is checked to be one after it is opened (O_NONBLOCK: a
 * fifo swapped in cannot block jrun). The target is a detached tmpfs that nothing else can
 * reach. The depth is bounded.
 */
final class TmpCopyUp {
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final long STATX_BASIC_STATS = 0x7ff;
    private static final int STATX_SIZE = 256;
    private static final int DIRENTS_SIZE = 32 * 1024;
    private static final int PATH_MAX = 4096;
    /** Deeper trees are refused: two fds and a buffer per level. */
    private static final int MAX_DEPTH = 128;

    private final Arena arena;
    private final MemorySegment statx;
    private final MemorySegment link;
    private final long empty;
    private final IdMaps ids;

    private TmpCopyUp(Arena arena, IdMaps ids) {
        this.arena = arena;
        this.ids = ids;
        this.statx = arena.allocate(STATX_SIZE, 8);
        this.link = arena.allocate(PATH_MAX + 1);
        this.empty = arena.allocate(1).address();
    }

    /**
     * Takes the parked directory and tmpfs from the waiting init and copies one into the other.
     *
     * @param what the mount, for errors: {@code /run (config.json /mounts/1)}
     */
    static void copy(ChildLauncher.Child child, InitProgram.MountHandover slots, MountStep.Filesystem mount) {
        String what = mount.destination() + " (config.json " + mount.pointer() + ")";
        IdMaps ids = IdMaps.of(child.pid());
        if (ids.identity()) {
            copyAs(child, slots, mount, what, ids);
            return;
        }
        // In a user namespace the tmpfs belongs to it, and the kernel creates nothing there for
        // an fsuid it does not map (EOVERFLOW): the copy runs on a thread of its own whose fsuid
        // and fsgid are the container root's, with its capabilities raised again (a change of
        // fsuid from 0 drops the file ones). Credentials are per thread: the thread, and they,
        // end with the copy.
        RuntimeException[] failure = new RuntimeException[1];
        Thread copier = Thread.ofPlatform().name("jrun-tmpcopyup").start(() -> {
            try {
                Sys.call("set the fsgid to the container's root", SyscallNr.SETFSGID, ids.gidOutside(0));
                Sys.call("set the fsuid to the container's root", SyscallNr.SETFSUID, ids.uidOutside(0));
                raiseEffectiveCapabilities();
                copyAs(child, slots, mount, what, ids);
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        });
        try {
            copier.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JrunException("interrupted while copying " + what + " (tmpcopyup)", e);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private static void copyAs(ChildLauncher.Child child, InitProgram.MountHandover slots, MountStep.Filesystem mount,
                               String what, IdMaps ids) {
        long source = -1;
        long target = -1;
        long sourceDir = -1;
        try (Arena arena = Arena.ofConfined()) {
            source = Sys.call("take the tmpcopyup destination from the init", SyscallNr.PIDFD_GETFD, child.pidfd(),
                    slots.copyUpDestinationSlot(), 0);
            target = Sys.call("take the tmpfs from the init", SyscallNr.PIDFD_GETFD, child.pidfd(),
                    slots.copyUpMountSlot(), 0);
            TmpCopyUp copier = new TmpCopyUp(arena, ids);
            MemorySegment dot = arena.allocateFrom(".");
            sourceDir = Sys.call("open the directory", SyscallNr.OPENAT, source, dot.address(),
                    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            copier.copyDirectory(sourceDir, target, "", 0);
        } catch (SysException e) {
            throw new JrunException("container init failed: copy the image's " + what + " into its tmpfs (tmpcopyup): "
                    + e.getMessage(), e);
        } finally {
            closeAll(sourceDir, source, target);
        }
    }

    /** capset of this thread: effective = permitted (the v3 header and two data structs). */
    private static void raiseEffectiveCapabilities() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment header = arena.allocate(8, 4);
            header.set(JAVA_INT, 0, 0x20080522);
            MemorySegment data = arena.allocate(24, 4);
            Sys.call("read the capabilities", SyscallNr.CAPGET, header.address(), data.address());
            data.set(JAVA_INT, 0, data.get(JAVA_INT, 4));
            data.set(JAVA_INT, 12, data.get(JAVA_INT, 16));
            Sys.call("raise the effective capabilities", SyscallNr.CAPSET, header.address(), data.address());
        }
    }

    /** Copies the entries of {@code from} (open for reading) into {@code to} (any directory fd). */
    private void copyDirectory(long from, long to, String path, int depth) {
        if (depth >= MAX_DEPTH) {
            throw new JrunException("container init failed: tmpcopyup: " + path + " is nested deeper than "
                    + MAX_DEPTH + " directories");
        }
        MemorySegment dirents = arena.allocate(DIRENTS_SIZE, 8);
        while (true) {
            long n = Sys.call("read the directory " + shown(path), SyscallNr.GETDENTS64, from, dirents.address(),
                    DIRENTS_SIZE);
            if (n == 0) {
                return;
            }
            for (long off = 0; off < n; ) {
                int recordLength = Short.toUnsignedInt(dirents.get(JAVA_SHORT, off + 16));
                long name = dirents.address() + off + 19;
                String shownName = nameAt(dirents, off + 19);
                off += recordLength;
                if (shownName.equals(".") || shownName.equals("..")) {
                    continue;
                }
                copyEntry(from, to, name, path + "/" + shownName, depth);
            }
        }
    }

    private void copyEntry(long from, long to, long name, String path, int depth) {
        Sys.call("stat " + path, SyscallNr.STATX, from, name, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS,
                statx.address());
        int mode = Short.toUnsignedInt(statx.get(JAVA_SHORT, 28));
        long uid = Integer.toUnsignedLong(statx.get(JAVA_INT, 20));
        long gid = Integer.toUnsignedLong(statx.get(JAVA_INT, 24));
        int type = mode & S_IFMT;
        if (type == S_IFDIR) {
            // Owner-only while it is filled; its own mode (perhaps read-only) comes after.
            Sys.call("create " + path, SyscallNr.MKDIRAT, to, name, 0700);
            long sub = -1;
            long subTarget = -1;
            try {
                sub = Sys.call("open " + path, SyscallNr.OPENAT, from, name,
                        O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                subTarget = Sys.call("open the copy of " + path, SyscallNr.OPENAT, to, name,
                        O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                copyDirectory(sub, subTarget, path, depth + 1);
            } finally {
                closeAll(sub, subTarget);
            }
        } else if (type == S_IFREG) {
            copyFile(from, to, name, path);
        } else if (type == S_IFLNK) {
            long length = Sys.call("read the symlink " + path, SyscallNr.READLINKAT, from, name, link.address(),
                    PATH_MAX);
            link.set(JAVA_BYTE, length, (byte) 0);
            Sys.call("create the symlink " + path, SyscallNr.SYMLINKAT, link.address(), to, name);
        } else {
            // Device nodes, fifos and sockets: the node itself, never opened.
            long dev = makedev(statx.get(JAVA_INT, 128), statx.get(JAVA_INT, 132));
            Sys.call("create the node " + path, SyscallNr.MKNODAT, to, name, mode, dev);
        }
        // Owner first: a chown clears the set-id bits that the mode then restores. An owner the
        // container's user namespace does not map becomes its overflow id, as the container sees it.
        Sys.call("set the owner of " + path, SyscallNr.FCHOWNAT, to, name, ids.ownerUid(uid), ids.ownerGid(gid),
                AT_SYMLINK_NOFOLLOW);
        if (type != S_IFLNK) {
            // Follows a symlink, but this name is one jrun just created in a tmpfs only it can reach.
            Sys.call("set the mode of " + path, SyscallNr.FCHMODAT, to, name, mode & 07777);
        }
    }

    private void copyFile(long from, long to, long name, String path) {
        long in = -1;
        long out = -1;
        try {
            in = Sys.call("open " + path, SyscallNr.OPENAT, from, name,
                    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
            Sys.call("stat " + path, SyscallNr.STATX, in, empty, AT_EMPTY_PATH, STATX_BASIC_STATS, statx.address());
            if ((Short.toUnsignedInt(statx.get(JAVA_SHORT, 28)) & S_IFMT) != S_IFREG) {
                throw new JrunException("container init failed: tmpcopyup: " + path
                        + " changed from a regular file while it was copied");
            }
            out = Sys.call("create " + path, SyscallNr.OPENAT, to, name,
                    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
            long size = statx.get(JAVA_LONG, 40);
            long done = 0;
            while (true) {
                long n = Sys.call("copy " + path, SyscallNr.SENDFILE, out, in, 0, Math.max(size - done, 1L << 20));
                if (n == 0) {
                    break;
                }
                done += n;
            }
        } finally {
            closeAll(in, out);
        }
    }

    private static void closeAll(long... fds) {
        for (long fd : fds) {
            if (fd >= 0) {
                Sys.attempt(SyscallNr.CLOSE, fd);
            }
        }
    }

    /** The kernel's new_encode_dev: the dev_t mknodat takes. */
    static long makedev(long major, long minor) {
        return ((major & 0xfff) << 8) | (minor & 0xff) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
    }

    /** A NUL-terminated name in a dirent, decoded for messages and the "." / ".." test only. */
    private static String nameAt(MemorySegment dirents, long offset) {
        long end = offset;
        while (dirents.get(JAVA_BYTE, end) != 0) {
            end++;
        }
        return new String(dirents.asSlice(offset, end - offset).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
    }

    private static String shown(String path) {
        return path.isEmpty() ? "/" : path;
    }
}
