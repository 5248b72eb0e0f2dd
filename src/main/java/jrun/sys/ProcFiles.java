package jrun.sys;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading /proc and /sys files. They report a size of 0, so {@code Files.readString} reads them
 * a byte at a time, and an integer sysctl answers only the first read: on JDK 25 it returned "4"
 * for cap_last_cap's "41" (measured here). One large read gets the whole value.
 */
public final class ProcFiles {
    /** statfs f_type of procfs (linux/magic.h). */
    public static final long PROC_SUPER_MAGIC = 0x9fa0;
    /** struct statfs (x86_64 and aarch64); f_type is its first field, a long. */
    public static final long STATFS_SIZE = 120;

    private ProcFiles() {}

    /**
     * Writes {@code content} to a procfs file in one write (an id map must arrive whole), after
     * checking with fstatfs that the file opened is on procfs: a write meant for the kernel must
     * not land on a file or filesystem mounted in its place (CVE-2019-16884's class).
     *
     * @throws IOException naming the file and what went wrong
     */
    public static void write(Path file, String content) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            long fd = Sys.attempt(SyscallNr.OPENAT, Kernel.AT_FDCWD, NativeCopy.cString(arena, file.toString()).address(),
                    Kernel.O_WRONLY | Kernel.O_NOFOLLOW | Kernel.O_CLOEXEC);
            if (fd < 0) {
                throw new IOException(Errno.describe((int) -fd));
            }
            try {
                MemorySegment statfs = arena.allocate(STATFS_SIZE, 8);
                long r = Sys.attempt(SyscallNr.FSTATFS, fd, statfs.address());
                if (r < 0) {
                    throw new IOException("fstatfs: " + Errno.describe((int) -r));
                }
                long type = statfs.get(ValueLayout.JAVA_LONG, 0);
                if (type != PROC_SUPER_MAGIC) {
                    throw new IOException("not on procfs (its file system's type is 0x" + Long.toHexString(type)
                            + "): refused");
                }
                byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
                MemorySegment data = NativeCopy.of(arena, bytes);
                long written = Sys.attempt(SyscallNr.WRITE, fd, data.address(), bytes.length);
                if (written < 0) {
                    throw new IOException(Errno.describe((int) -written));
                }
                if (written != bytes.length) {
                    throw new IOException("short write: " + written + " of " + bytes.length + " bytes");
                }
            } finally {
                Sys.attempt(SyscallNr.CLOSE, fd);
            }
        }
    }

    public static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * The host's pids whose pid namespace is {@code pidNamespace} (as /proc/PID/ns/pid reads,
     * "pid:[INODE]"); a process gone while listed is left out.
     */
    public static List<Integer> pidsInNamespace(String pidNamespace) throws IOException {
        List<Integer> out = new ArrayList<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[1-9]*")) {
            for (Path p : proc) {
                try {
                    if (Files.readSymbolicLink(p.resolve("ns/pid")).toString().equals(pidNamespace)) {
                        out.add(Integer.parseInt(p.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
        }
        return out;
    }
}
