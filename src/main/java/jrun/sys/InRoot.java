package jrun.sys;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Reading a file of a container's rootfs from the host, resolved with openat2(RESOLVE_IN_ROOT):
 * an image's symlink (say /etc/passwd -> /etc/shadow) resolves inside the rootfs, never on the
 * host.
 */
public final class InRoot {
    private static final long O_RDONLY_CLOEXEC = 02000000L;
    private static final long O_PATH_DIRECTORY_CLOEXEC = 010000000L | 0200000L | 02000000L;
    private static final long RESOLVE_IN_ROOT_NO_MAGICLINKS = 0x10 | 0x02;

    private InRoot() {}

    /** The file's bytes (at most {@code maxBytes}) as UTF-8, or null when it does not exist or cannot be read. */
    public static String readFile(String rootfs, String path, int maxBytes) {
        try (Arena arena = Arena.ofConfined()) {
            long fd = open(arena, rootfs, path, O_RDONLY_CLOEXEC);
            if (fd < 0) {
                return null;
            }
            try {
                MemorySegment buf = arena.allocate(maxBytes);
                long total = 0;
                while (total < maxBytes) {
                    long n = Sys.attempt(SyscallNr.READ, fd, buf.address() + total, maxBytes - total);
                    if (n <= 0) {
                        if (n < 0) {
                            return null;
                        }
                        break;
                    }
                    total += n;
                }
                return new String(buf.asSlice(0, total).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                        StandardCharsets.UTF_8);
            } finally {
                Sys.attempt(SyscallNr.CLOSE, fd);
            }
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
                        0x1000 /* AT_EMPTY_PATH */, 0x2 /* STATX_MODE */, statx.address());
                return r < 0 ? -1 : Short.toUnsignedInt(statx.get(java.lang.foreign.ValueLayout.JAVA_SHORT, 28)) & 07777;
            } finally {
                Sys.attempt(SyscallNr.CLOSE, fd);
            }
        }
    }

    /** {@code path} opened with {@code flags}, resolved in the rootfs; -errno on failure. */
    private static long open(Arena arena, String rootfs, String path, long flags) {
        long root = Sys.attempt(SyscallNr.OPENAT, -100, NativeCopy.cString(arena, rootfs).address(),
                O_PATH_DIRECTORY_CLOEXEC);
        if (root < 0) {
            return root;
        }
        try {
            MemorySegment how = arena.allocate(24, 8);
            how.set(JAVA_LONG, 0, flags);
            how.set(JAVA_LONG, 16, RESOLVE_IN_ROOT_NO_MAGICLINKS);
            return Sys.attempt(SyscallNr.OPENAT2, root, NativeCopy.cString(arena, path).address(), how.address(), 24);
        } finally {
            Sys.attempt(SyscallNr.CLOSE, root);
        }
    }
}
