package jrun.linux.cgroups;

import static jrun.sys.Kernel.AT_FDCWD;
import static jrun.sys.Kernel.AT_REMOVEDIR;
import static jrun.sys.Kernel.O_CLOEXEC;
import static jrun.sys.Kernel.O_DIRECTORY;
import static jrun.sys.Kernel.O_PATH;
import static jrun.sys.Kernel.O_RDONLY;
import static jrun.sys.Kernel.O_TRUNC;
import static jrun.sys.Kernel.O_WRONLY;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jrun.base.JrunException;
import jrun.sys.Errno;
import jrun.sys.NativeCopy;
import jrun.sys.ProcFiles;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * Reading and writing cgroup interface files. Each value is one write(2) of its own (a cgroup
 * file takes one value per write), to a file that must already exist: the kernel creates every
 * interface file, so a missing one means the controller or feature is absent, which is worth
 * saying rather than creating a plain file in a test directory.
 */
final class CgroupFiles {
    private static final long RMDIR_WAIT_NANOS = 5_000_000_000L;
    private static final String EBUSY_TEXT = "Device or resource busy";

    private CgroupFiles() {}

    /** The trimmed content of a file; null when it does not exist. */
    static String read(Path file) {
        try {
            return ProcFiles.read(file).strip();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new JrunException("cannot read " + file + ": " + reason(e), e);
        }
    }

    /**
     * Writes {@code value} with one write(2) to an existing file; returns 0 or the errno. Plain
     * system calls: jrun runs interpreted (-Xint), where NIO's streams cost a millisecond each
     * and create writes dozens of files.
     */
    static int writeErrno(Path file, String value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = NativeCopy.cString(arena, file.toString());
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            MemorySegment data = NativeCopy.of(arena, bytes);
            long fd = Sys.attempt(SyscallNr.OPENAT, AT_FDCWD, path.address(), O_WRONLY | O_TRUNC | O_CLOEXEC);
            if (fd < 0) {
                return (int) -fd;
            }
            try {
                long n = Sys.attempt(SyscallNr.WRITE, fd, data.address(), bytes.length);
                return n < 0 ? (int) -n : n == bytes.length ? 0 : Errno.EIO;
            } finally {
                Sys.attempt(SyscallNr.CLOSE, fd);
            }
        }
    }

    /** Writes one value; {@code why} says what it is for in an error, e.g. a config field. */
    static void write(Path file, String value, String why) {
        int errno = writeErrno(file, value);
        if (errno == Errno.ENOENT) {
            throw new JrunException(why + ": cannot write \"" + value + "\" to " + file
                    + ": the file does not exist (the controller or this feature is not available on this host)");
        }
        if (errno != 0) {
            throw new JrunException(why + ": cannot write \"" + value + "\" to " + file + ": " + Errno.describe(errno));
        }
    }

    /** "key value" lines (cpu.stat, memory.stat, memory.events) as a map; empty when the file is missing. */
    /** The space-separated words of a file such as cgroup.controllers, in order; empty when absent. */
    static Set<String> readWords(Path file) {
        Set<String> out = new LinkedHashSet<>();
        String s = read(file);
        if (s != null) {
            for (String w : s.split("\\s+")) {
                if (!w.isEmpty()) {
                    out.add(w);
                }
            }
        }
        return out;
    }

    static Map<String, Long> keyValues(Path file) {
        Map<String, Long> out = new LinkedHashMap<>();
        String content = read(file);
        if (content == null) {
            return out;
        }
        for (String line : content.split("\n")) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2) {
                out.put(kv[0], parseCount(kv[1]));
            }
        }
        return out;
    }

    /** A counter or limit as runc reports it: "max" is the largest unsigned value (-1 as a long). */
    static long parseCount(String s) {
        if (s == null || s.isEmpty()) {
            return 0;
        }
        if (s.equals("max")) {
            return -1;
        }
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A single-number file; 0 when missing or empty. */
    static long number(Path file) {
        return parseCount(read(file));
    }

    /** The pids in {@code dir}'s cgroup.procs and in those of every cgroup below it. */
    static List<Integer> pidsBelow(Path dir) {
        List<Integer> pids = new ArrayList<>();
        collectPids(dir, pids);
        return pids;
    }

    private static void collectPids(Path dir, List<Integer> out) {
        String procs = read(dir.resolve("cgroup.procs"));
        if (procs == null) {
            return;
        }
        for (String line : procs.split("\n")) {
            if (!line.isBlank()) {
                out.add(Integer.parseInt(line.trim()));
            }
        }
        for (Path child : children(dir)) {
            collectPids(child, out);
        }
    }

    /** The cgroups directly below {@code dir}. */
    static List<Path> children(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new JrunException("cannot list " + dir + ": " + reason(e), e);
        }
        return out;
    }

    /**
     * Creates {@code dir} and its missing parents; returns the directories it created, outermost
     * first (so that a failure can remove exactly those).
     */
    static List<Path> mkdirs(Path dir) {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.addFirst(p);
        }
        List<Path> created = new ArrayList<>();
        for (Path p : missing) {
            int errno = mkdir(p);
            if (errno == 0) {
                created.add(p);
            } else if (errno != Errno.EEXIST) {
                // EEXIST: another jrun made the same parent at the same instant
                for (int i = created.size() - 1; i >= 0; i--) {
                    rmdir(created.get(i));
                }
                throw new JrunException("cannot create the cgroup " + p + ": " + Errno.describe(errno));
            }
        }
        return created;
    }

    /** An O_PATH fd of a cgroup directory (for clone3's CLONE_INTO_CGROUP, or bpf), which the caller closes. */
    static int openDirectory(Path dir) {
        return open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    }

    /** A close-on-exec fd of a cgroup file open for reading, which the caller closes. */
    static int openForReading(Path file) {
        return open(file, O_RDONLY | O_CLOEXEC);
    }

    private static int open(Path path, long flags) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) Sys.call("open " + path, SyscallNr.OPENAT, AT_FDCWD,
                    NativeCopy.cString(arena, path.toString()).address(), flags);
        }
    }

    private static int mkdir(Path dir) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = NativeCopy.cString(arena, dir.toString());
            long r = Sys.attempt(SyscallNr.MKDIRAT, AT_FDCWD, path.address(), 0755);
            return r < 0 ? (int) -r : 0;
        }
    }

    /**
     * Removes a cgroup and every cgroup below it (a container may make its own), deepest
     * first. A cgroup whose last process has just died can stay busy for a moment, so EBUSY is
     * retried for a few seconds. Returns false only when {@code dir} is still there.
     *
     * <p>The cgroup is removed at once when it can be, the usual case: listing a v1 cgroup to
     * find the ones below it means a stat of each of its ~30 control files, per
     * hierarchy. Only a removal refused as busy (child cgroups, or processes not
     * yet gone) looks below, once.
     *
     * <p>Through Java's file API, not jrun.sys: removing the cgroup is the only system call of
     * jrun's that {@code delete} of a stopped container makes, and linking the FFM downcall
     * handle for it would add to every delete's start-up.
     */
    static boolean removeTree(Path dir) {
        long deadline = System.nanoTime() + RMDIR_WAIT_NANOS;
        boolean childrenRemoved = false;
        while (true) {
            try {
                Files.deleteIfExists(dir);
                return true;
            } catch (DirectoryNotEmptyException e) {
                if (childrenRemoved) {
                    return false;
                }
            } catch (FileSystemException e) {
                if (!isBusy(e) || (childrenRemoved && System.nanoTime() - deadline > 0)) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
            if (!childrenRemoved) {
                for (Path child : children(dir)) {
                    removeTree(child);
                }
                childrenRemoved = true;
                continue;
            }
            sleep(5);
        }
    }

    /**
     * Whether a failure was EBUSY. Java's file API gives the errno only as its strerror text,
     * which jrun's launcher keeps in English (LC_ALL=C.UTF-8); in another language a busy
     * cgroup is reported at once instead of being waited for.
     */
    static boolean isBusy(FileSystemException e) {
        return EBUSY_TEXT.equals(e.getReason());
    }

    /** rmdir(2); returns 0 or the errno. */
    static int rmdir(Path dir) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = NativeCopy.cString(arena, dir.toString());
            long r = Sys.attempt(SyscallNr.UNLINKAT, AT_FDCWD, path.address(), AT_REMOVEDIR);
            return r < 0 ? (int) -r : 0;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JrunException("interrupted", e);
        }
    }

    /** The kernel's reason for an I/O error, without the file name Java repeats. */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return String.valueOf(e.getMessage());
    }
}
