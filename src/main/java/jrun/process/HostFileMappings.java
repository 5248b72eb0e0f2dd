package jrun.process;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static jrun.sys.Kernel.MAP_ANONYMOUS;
import static jrun.sys.Kernel.MAP_FIXED;
import static jrun.sys.Kernel.MAP_NORESERVE;
import static jrun.sys.Kernel.MAP_PRIVATE;
import static jrun.sys.Kernel.MREMAP_FIXED;
import static jrun.sys.Kernel.MREMAP_MAYMOVE;
import static jrun.sys.Kernel.PROT_EXEC;
import static jrun.sys.Kernel.PROT_NONE;
import static jrun.sys.Kernel.PROT_READ;
import static jrun.sys.Kernel.PROT_WRITE;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jrun.base.JrunException;
import jrun.base.Timing;
import jrun.sys.Errno;
import jrun.sys.ProcFiles;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * The host files jrun's JVM maps (libjvm.so, libc and the JDK's other libraries, the AOT cache,
 * the JDK's class image, locale files), replaced in the forked child by memory that is no host
 * file before a process of the container can see the child (issue 16, CVE-2019-5736's class).
 *
 * <p>{@code /proc/PID/map_files/*} opens the file behind each mapping with the access the
 * opener asks for, read-write included: a container holding CAP_SYS_ADMIN (or
 * CAP_CHECKPOINT_RESTORE) and CAP_SYS_PTRACE in the initial user namespace, which reaches a
 * non-dumpable child, would otherwise rewrite the host's libjvm.so or libc through it. The
 * child's code runs from those mappings, so it cannot unmap them; it puts in their place, at
 * the same addresses and with the same contents and protections:
 * <ul>
 * <li>read-only ones: private mappings of a sealed memfd the parent filled once per JVM with
 *     their bytes as mapped (relocated read-only data included), so map_files shows
 *     {@code /memfd:jrun-mapped (deleted)}, which no one can write (F_SEAL_WRITE);
 * <li>writable ones (a library's .data, the AOT cache's read-write region, already partly
 *     the JVM's own copy): an anonymous copy the child makes itself in a range the parent
 *     reserved, with process_vm_readv on itself (the child can write memory only through
 *     system calls), then moves over the original with one mremap;
 * <li>inaccessible ones: anonymous inaccessible memory;
 * <li>the JDK's class image ({@code lib/modules}, larger than all the rest): unmapped, as the
 *     child never loads a class (ChildInterpreter).
 * </ul>
 * Each replacement is one system call that swaps the pages under the running code for pages
 * of the same content, so the child goes on running from them. The java launcher's own
 * mappings are left to {@link JvmTraces}, which unmaps them.
 */
final class HostFileMappings {
    /** Each mapping's line of /proc/self/maps to its copy in a sealed memfd: {memfd, offset}. */
    private static final Map<String, long[]> COPIES = new HashMap<>();
    private static final String MEMFD_NAME = "jrun-mapped";
    /** An inaccessible range of the parent's address space where the child builds its copies. */
    private static long scratch;
    private static long scratchSize;

    /** A file-backed mapping of jrun's JVM, from its /proc/self/maps line. */
    record Mapping(String line, long start, long end, long prot, boolean shared, String path) {
        long size() {
            return end - start;
        }

        boolean writable() {
            return (prot & PROT_WRITE) != 0;
        }
    }

    private HostFileMappings() {}

    /**
     * Emits the replacement of every host file mapping of this JVM; the memfd copies and fds it
     * uses stay open in the child until {@link ProcessSetup#hygiene} closes jrun's fds.
     */
    static synchronized void emitReplace(ProgramBuilder b) {
        String image = classImage();
        List<Mapping> all = fileMappings(read("/proc/self/maps"), read("/proc/self/exe"), image);
        List<Mapping> readOnly = new ArrayList<>();
        List<Mapping> writable = new ArrayList<>();
        List<Mapping> unmapped = new ArrayList<>();
        for (Mapping m : all) {
            if (m.path().equals(image)) {
                unmapped.add(m);
            } else if (m.writable()) {
                writable.add(m);
            } else {
                readOnly.add(m);
            }
        }
        copyToMemfd(readOnly);
        b.step("hide the host files jrun's JVM maps: map sealed copies in place of the read-only ones");
        for (Mapping m : readOnly) {
            if (m.prot() == PROT_NONE) {
                b.call(SyscallNr.MMAP, m.start(), m.size(), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED
                        | MAP_NORESERVE, -1, 0);
            } else {
                long[] copy = COPIES.get(m.line());
                b.call(SyscallNr.MMAP, m.start(), m.size(), m.prot(), MAP_PRIVATE | MAP_FIXED, copy[0], copy[1]);
            }
        }
        if (!writable.isEmpty()) {
            long buffer = scratch(writable);
            b.step("hide the host files jrun's JVM maps: move anonymous copies over the writable ones");
            ProgramBuilder.Reg self = b.newReg();
            b.call(SyscallNr.GETPID).into(self);
            for (Mapping m : writable) {
                MemorySegment iov = b.buffer(32);
                iov.set(JAVA_LONG, 0, buffer);
                iov.set(JAVA_LONG, 8, m.size());
                iov.set(JAVA_LONG, 16, m.start());
                iov.set(JAVA_LONG, 24, m.size());
                b.call(SyscallNr.MMAP, buffer, m.size(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                        -1, 0);
                b.call(SyscallNr.PROCESS_VM_READV, self, iov.address(), 1, iov.address() + 16, 1, 0).expect(m.size());
                if (m.prot() != (PROT_READ | PROT_WRITE)) {
                    b.call(SyscallNr.MPROTECT, buffer, m.size(), m.prot());
                }
                b.call(SyscallNr.MREMAP, buffer, m.size(), m.size(), MREMAP_MAYMOVE | MREMAP_FIXED, m.start());
            }
        }
        if (!unmapped.isEmpty()) {
            b.step("hide the host files jrun's JVM maps: unmap the JDK's class image (the child loads no class)");
            for (Mapping m : unmapped) {
                b.call(SyscallNr.MUNMAP, m.start(), m.size());
            }
        }
    }

    /**
     * The file-backed mappings in {@code maps} (the format of /proc/PID/maps), but the java
     * launcher's ({@code exe}, see JvmTraces) and memfds (not host files).
     */
    static List<Mapping> fileMappings(String maps, String exe, String classImage) {
        List<Mapping> found = new ArrayList<>();
        int from = 0;
        while (from < maps.length()) {
            int eol = maps.indexOf('\n', from);
            String line = maps.substring(from, eol < 0 ? maps.length() : eol);
            from = eol < 0 ? maps.length() : eol + 1;
            // start-end perms offset dev inode path: inode 0 is anonymous memory, whatever
            // its name ([heap], [anon:...])
            int space = line.indexOf(' ');
            int inode = nthField(line, 4);
            int path = inode < 0 ? -1 : line.indexOf('/', inode);
            if (path < 0 || line.startsWith("0 ", inode) || line.startsWith("/memfd:", path)) {
                continue;
            }
            String name = line.substring(path);
            if (name.equals(exe)) {
                continue;
            }
            int dash = line.indexOf('-');
            long prot = (line.charAt(space + 1) == 'r' ? PROT_READ : 0) | (line.charAt(space + 2) == 'w' ? PROT_WRITE : 0)
                    | (line.charAt(space + 3) == 'x' ? PROT_EXEC : 0);
            found.add(new Mapping(line, Long.parseUnsignedLong(line.substring(0, dash), 16),
                    Long.parseUnsignedLong(line.substring(dash + 1, space), 16), prot, line.charAt(space + 4) == 's', name));
        }
        return found;
    }

    /** Where the field {@code n} (from 0) of a maps line begins, or -1. */
    private static int nthField(String line, int n) {
        int at = 0;
        for (int i = 0; i < n; i++) {
            at = line.indexOf(' ', at);
            if (at < 0) {
                return -1;
            }
            while (at < line.length() && line.charAt(at) == ' ') {
                at++;
            }
        }
        return at;
    }

    /**
     * Copies the bytes of the read-only mappings not copied yet into one new sealed memfd. From
     * memory, not from their files: relocated read-only data differs from the file.
     */
    private static void copyToMemfd(List<Mapping> readOnly) {
        long size = 0;
        List<Mapping> missing = new ArrayList<>();
        for (Mapping m : readOnly) {
            if (m.prot() != PROT_NONE && !COPIES.containsKey(m.line())) {
                missing.add(m);
                size += m.size();
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        int fd = SealedMemfd.create(MEMFD_NAME, "the host files jrun's JVM maps");
        String what = "copy the host files jrun's JVM maps into a sealed memfd";
        Sys.call(what, SyscallNr.FTRUNCATE, fd, size);
        long offset = 0;
        for (Mapping m : missing) {
            for (long done = 0; done < m.size(); ) {
                long n = Sys.attempt(SyscallNr.PWRITE64, fd, m.start() + done, m.size() - done, offset + done);
                if (n == -Errno.EFAULT) {
                    break; // past the end of its file: zeros here, SIGBUS in the original
                }
                if (n <= 0) {
                    throw new JrunException(what + ": " + m.path() + ": " + Errno.describe((int) -n));
                }
                done += n;
            }
            COPIES.put(m.line(), new long[] {fd, offset});
            offset += m.size();
        }
        SealedMemfd.seal(fd, "the copy of the host files jrun's JVM maps");
        Timing.mark("host files the JVM maps copied to a sealed memfd");
    }

    /**
     * An inaccessible reservation at least as large as the largest writable mapping, where the
     * child builds each copy. A smaller one made before is kept: a program compiled with it may
     * not have forked yet, and its range must not be reused meanwhile.
     */
    private static long scratch(List<Mapping> writable) {
        long largest = 0;
        for (Mapping m : writable) {
            largest = Math.max(largest, m.size());
        }
        if (largest > scratchSize) {
            scratchSize = 2 * largest;
            scratch = Sys.call("reserve memory for the child's copies of the JVM's writable mappings", SyscallNr.MMAP, 0,
                    scratchSize, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        }
        return scratch;
    }

    /** The text of /proc/self/maps, or where /proc/self/exe leads. */
    private static String read(String file) {
        try {
            Path p = Path.of(file);
            return Files.isSymbolicLink(p) ? Files.readSymbolicLink(p).toString() : ProcFiles.read(p);
        } catch (IOException e) {
            throw new JrunException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The JDK's class image as /proc/self/maps names it: by its real path. */
    private static String classImage() {
        try {
            return Path.of(System.getProperty("java.home"), "lib", "modules").toRealPath().toString();
        } catch (IOException e) {
            throw new JrunException("cannot find the JDK's class image: " + e.getMessage(), e);
        }
    }
}
