package jrun.process;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static jrun.sys.Kernel.PR_SET_MM;
import static jrun.sys.Kernel.PR_SET_MM_MAP;
import static jrun.sys.Kernel.PR_SET_NAME;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jrun.base.JrunException;
import jrun.sys.NativeCopy;
import jrun.sys.ProcFiles;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * What /proc/PID of jrun's forked child shows of the host's JVM, and the child's program to
 * erase it before a process of the container can see the child (issue 16, CVE-2019-5736's
 * class). Until its execve the child is a copy of jrun's JVM: its {@code exe} is the host's
 * {@code bin/java}, its {@code cmdline} and {@code environ} are jrun's (host paths, the
 * caller's secrets). A container holding CAP_SYS_PTRACE passes the ptrace access checks that
 * non-dumpability puts in front of exe and environ, and cmdline needs none: only not having
 * them helps. So the child:
 * <ul>
 * <li>unmaps the host's java binary (its launcher code, never run again in the child: the
 *     child is a copy of a JVM thread) and makes a sealed, empty memfd its exe, in one
 *     {@code prctl(PR_SET_MM, PR_SET_MM_MAP)} (the kernel refuses a new exe with EBUSY while
 *     the old one is still mapped: replace_mm_exe_file; MAP's new exe needs CAP_SYS_ADMIN or
 *     CAP_CHECKPOINT_RESTORE in the child's user namespace and the rest of MAP nothing, where
 *     the single PR_SET_MM_* options need CAP_SYS_RESOURCE, which root lacks on some hosts);
 * <li>points its argument area at "jrun init" and its environment area at nothing in the same
 *     call (the other fields keep the values they had: read from /proc/self/stat before the
 *     fork, as the child's memory layout is the parent's), and names itself "jrun:init" (the
 *     name of the JVM thread it was forked from would show in /proc/PID/status otherwise);
 * <li>overwrites the original argument and environment strings with random bytes
 *     (getrandom: the child cannot write memory otherwise), so that /proc/PID/mem does not
 *     hold them there either.
 * </ul>
 * runc's init shows "runc init" and a sealed copy of runc; jrun's, "jrun init" and an empty
 * sealed memfd (nothing re-executes it).
 */
final class JvmTraces {
    private static final long PRCTL_MM_MAP_SIZE = 104;
    private static final byte[] COMMAND_LINE = "jrun\0init\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** The parent's memory layout, the same in every child: read once per JVM. */
    private static Layout layout;

    /**
     * @param stat       the mm fields of /proc/self/stat, in prctl_mm_map's order up to env_end
     * @param exeRanges  start, end pairs of the java binary's mappings
     * @param exeFd      the sealed memfd that becomes the child's exe
     */
    private record Layout(long[] stat, List<long[]> exeRanges, int exeFd) {}

    private JvmTraces() {}

    /**
     * Emits the erasure; the child must still hold CAP_SYS_ADMIN in its user namespace (the
     * exe), so it comes before the identity step.
     */
    static void emitErase(ProgramBuilder b) {
        Layout l = layout();
        b.step("hide jrun's JVM from the container: unmap the host's java binary");
        for (long[] r : l.exeRanges()) {
            b.call(SyscallNr.MUNMAP, r[0], r[1] - r[0]);
        }
        MemorySegment args = b.buffer(COMMAND_LINE.length);
        NativeCopy.put(COMMAND_LINE, 0, args, 0, COMMAND_LINE.length);
        MemorySegment map = b.buffer(PRCTL_MM_MAP_SIZE);
        long[] s = l.stat();
        // start_code, end_code, start_data, end_data, start_brk, brk, start_stack
        long[] kept = {s[0], s[1], s[3], s[4], s[5], s[6], s[2]};
        for (int i = 0; i < kept.length; i++) {
            map.set(JAVA_LONG, 8L * i, kept[i]);
        }
        long end = args.address() + COMMAND_LINE.length;
        map.set(JAVA_LONG, 56, args.address());
        map.set(JAVA_LONG, 64, end);
        map.set(JAVA_LONG, 72, end);
        map.set(JAVA_LONG, 80, end);
        map.set(JAVA_INT, 100, l.exeFd());
        b.step("hide jrun's JVM from the container: a sealed empty memfd as exe, \"jrun init\" as command line, "
                + "no environment");
        b.call(SyscallNr.PRCTL, PR_SET_MM, PR_SET_MM_MAP, map.address(), PRCTL_MM_MAP_SIZE, 0);
        b.call(SyscallNr.CLOSE, l.exeFd());
        b.call(SyscallNr.PRCTL, PR_SET_NAME, b.cstr("jrun:init"), 0, 0, 0);
        b.step("hide jrun's JVM from the container: overwrite jrun's arguments and environment");
        b.call(SyscallNr.GETRANDOM, s[7], s[10] - s[7], 0);
    }

    /** The fd of the memfd, which the child closes: for callers that close fds by number. */
    static int exeFd() {
        return layout().exeFd();
    }

    private static synchronized Layout layout() {
        if (layout == null) {
            layout = read();
        }
        return layout;
    }

    private static Layout read() {
        try {
            String stat = ProcFiles.read(Path.of("/proc/self/stat"));
            // After the command name, which may hold spaces: field 3 is the state.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
            // /proc/PID/stat fields 26-28 (startcode endcode startstack), 45-51 (start_data
            // end_data start_brk arg_start arg_end env_start env_end); f[0] is field 3.
            long startCode = Long.parseUnsignedLong(f[23]);
            long endCode = Long.parseUnsignedLong(f[24]);
            long startStack = Long.parseUnsignedLong(f[25]);
            long[] tail = new long[7];
            for (int i = 0; i < 7; i++) {
                tail[i] = Long.parseUnsignedLong(f[42 + i]);
            }
            long brk = Sys.call("read the program break", SyscallNr.BRK, 0);
            // {start_code, end_code, start_stack, start_data, end_data, start_brk, brk, arg_start, arg_end, env_start, env_end}
            long[] fields = {startCode, endCode, startStack, tail[0], tail[1], tail[2], brk, tail[3], tail[4],
                    tail[5], tail[6]};
            String exe = Files.readSymbolicLink(Path.of("/proc/self/exe")).toString();
            List<long[]> ranges = new ArrayList<>();
            for (String line : ProcFiles.read(Path.of("/proc/self/maps")).split("\n")) {
                if (line.endsWith(" " + exe)) {
                    int dash = line.indexOf('-');
                    int space = line.indexOf(' ');
                    ranges.add(new long[] {Long.parseUnsignedLong(line.substring(0, dash), 16),
                            Long.parseUnsignedLong(line.substring(dash + 1, space), 16)});
                }
            }
            return new Layout(fields, List.copyOf(ranges), sealedMemfd());
        } catch (IOException | RuntimeException e) {
            throw new JrunException("cannot read jrun's own memory layout (/proc/self/stat, maps, exe): " + e.getMessage(),
                    e);
        }
    }

    private static int sealedMemfd() {
        int fd = SealedMemfd.create("jrun", "the init's stand-in executable");
        SealedMemfd.seal(fd, "the init's stand-in executable");
        return fd;
    }
}
