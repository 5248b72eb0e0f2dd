package jrun.sys;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static jrun.sys.Kernel.AT_EMPTY_PATH;
import static jrun.sys.Kernel.O_CLOEXEC;
import static jrun.sys.Kernel.O_DIRECTORY;
import static jrun.sys.Kernel.O_NOCTTY;
import static jrun.sys.Kernel.O_NONBLOCK;
import static jrun.sys.Kernel.O_PATH;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Reading a file of a container's rootfs from the host. Everything in the rootfs is the
 * image's (or, for exec, the running container's) to choose, and jrun reads as root on the
 * host, outside the container's device cgroup:
 * <ul>
 * <li>the path resolves with openat2(RESOLVE_IN_ROOT): an image's symlink (say /etc/passwd ->
 *     /etc/shadow) resolves inside the rootfs, never on the host;
 * <li>a file is opened O_PATH first and must be a regular file before it is opened for reading:
 *     a device node (the host's disk, or /dev/watchdog, which arms on open) is never opened, a
 *     FIFO never blocks;
 * <li>it is read through that same inode (reopened by its fd), so nothing can be swapped in
 *     between the check and the read, and only when it is no larger than the caller's limit.
 * </ul>
 */
public final class InRoot {
    private static final long O_PATH_DIRECTORY_CLOEXEC = O_PATH | O_DIRECTORY | O_CLOEXEC;
    private static final long STATX_TYPE_SIZE = 0x1 | 0x200;
    private static final int STATX_MODE_OFFSET = 0x1c;
    private static final int STATX_SIZE_OFFSET = 0x28;
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;

    private InRoot() {}

    /**
     * The file's bytes as UTF-8, or null when it does not exist, is not a regular file, is larger
     * than {@code maxBytes} or cannot be read.
     *
     * @param root the root to resolve {@code path} in: a rootfs, or /proc/PID/root for the root a
     *             running container sees
     */
    public static String readFile(String root, String path, int maxBytes) {
        try (Arena arena = Arena.ofConfined()) {
            long pathFd = open(arena, root, path, O_PATH | O_CLOEXEC);
            if (pathFd < 0) {
                return null;
            }
            try {
                return readRegular(arena, pathFd, maxBytes);
            } finally {
                Sys.attempt(SyscallNr.CLOSE, pathFd);
            }
        }
    }

    private static String readRegular(Arena arena, long pathFd, int maxBytes) {
        MemorySegment stx = arena.allocate(256, 8);
        if (Sys.attempt(SyscallNr.STATX, pathFd, NativeCopy.cString(arena, "").address(), AT_EMPTY_PATH,
                STATX_TYPE_SIZE, stx.address()) < 0
                || (stx.get(JAVA_SHORT, STATX_MODE_OFFSET) & S_IFMT) != S_IFREG
                || Long.compareUnsigned(stx.get(JAVA_LONG, STATX_SIZE_OFFSET), maxBytes) > 0) {
            return null;
        }
        long fd = Sys.attempt(SyscallNr.OPENAT, -100, NativeCopy.cString(arena, "/proc/self/fd/" + pathFd).address(),
                O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
            return null;
        }
        try {
            // Sized by the file, not by the limit: a new segment is zeroed, and in an interpreted
            // JVM (jrun's -Xint) zeroing the limit's 1 MiB took longer than the whole read. The
            // buffer grows while a file reads longer than statx said (procfs files say 0).
            long size = stx.get(JAVA_LONG, STATX_SIZE_OFFSET);
            long capacity = Math.max(1, Math.min(maxBytes, size + 1));
            MemorySegment buf = arena.allocate(capacity);
            long total = 0;
            while (total < maxBytes) {
                if (total == capacity) {
                    capacity = Math.min(maxBytes, capacity * 2);
                    MemorySegment bigger = arena.allocate(capacity);
                    MemorySegment.copy(buf, 0, bigger, 0, total);
                    buf = bigger;
                }
                long n = Sys.attempt(SyscallNr.READ, fd, buf.address() + total, capacity - total);
                if (n < 0) {
                    return null;
                }
                if (n == 0) {
                    break;
                }
                total += n;
            }
            byte[] bytes = new byte[(int) total];
            NativeCopy.get(buf, 0, bytes, 0, bytes.length);
            return new String(bytes, StandardCharsets.UTF_8);
        } finally {
            Sys.attempt(SyscallNr.CLOSE, fd);
        }
    }

    /**
     * The permission bits of the directory at {@code path} in the rootfs (resolved inside it), or
     * -1 when there is none.
     */
    public static int directoryMode(String rootfs, String path) {
        try (Arena arena = Arena.ofConfined()) {
            long fd = open(arena, rootfs, path, O_PATH_DIRECTORY_CLOEXEC);
            if (fd < 0) {
                return -1;
            }
            try {
                MemorySegment statx = arena.allocate(256, 8);
                long r = Sys.attempt(SyscallNr.STATX, fd, NativeCopy.cString(arena, "").address(),
                        AT_EMPTY_PATH, 0x2 /* STATX_MODE */, statx.address());
                return r < 0 ? -1 : Short.toUnsignedInt(statx.get(JAVA_SHORT, STATX_MODE_OFFSET)) & 07777;
            } finally {
                Sys.attempt(SyscallNr.CLOSE, fd);
            }
        }
    }

    /** {@code path} opened with {@code flags}, resolved in the root; -errno on failure. */
    private static long open(Arena arena, String root, String path, long flags) {
        long rootFd = Sys.attempt(SyscallNr.OPENAT, -100, NativeCopy.cString(arena, root).address(),
                O_PATH_DIRECTORY_CLOEXEC);
        if (rootFd < 0) {
            return rootFd;
        }
        try {
            MemorySegment how = NativeCopy.openHow(arena.allocate(Kernel.OPEN_HOW_SIZE, 8), flags,
                    Kernel.RESOLVE_IN_ROOT | Kernel.RESOLVE_NO_MAGICLINKS);
            return Sys.attempt(SyscallNr.OPENAT2, rootFd, NativeCopy.cString(arena, path).address(), how.address(),
                    Kernel.OPEN_HOW_SIZE);
        } finally {
            Sys.attempt(SyscallNr.CLOSE, rootFd);
        }
    }
}
