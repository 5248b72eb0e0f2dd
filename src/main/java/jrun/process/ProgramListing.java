package jrun.process;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static jrun.process.ChildInterpreter.*;
import static jrun.sys.Kernel.*;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jrun.base.Log;
import jrun.linux.MountAttr;
import jrun.sys.Errno;
import jrun.sys.SyscallNr;

/**
 * A {@link Program} as readable lines, one per op: the system call by name with its arguments
 * decoded (strings read from the program's native memory, flags by name, registers as
 * {@code r0}...) and what happens to its result. A program is pure data built before the fork,
 * so its listing shows exactly what the child will do: unit tests assert the order and
 * arguments of the steps without root, and {@code JRUN_DEBUG_PROGRAM} prints it to jrun's log.
 *
 * <p>Only valid while the program's arena is open: its strings and structs live there.
 */
public final class ProgramListing {
    /** One op: its position (jump targets name it), the step it belongs to, and what it does. */
    public record Line(int index, String step, String text) {
        @Override
        public String toString() {
            return index + ": " + text;
        }
    }

    /** How an argument is shown. */
    private enum Arg { NUM, HEX, OCTAL, FD, PATH, STRV, BYTES, PTR, OPEN_FLAGS, AT_FLAGS, CLONE_FLAGS, MS_FLAGS,
        OPEN_HOW, MOUNT_ATTR, ATTR_FLAGS, MOVE_MOUNT_FLAGS, CLOSE_RANGE_FLAGS, CAP_DATA, PRCTL, FCNTL, IOCTL, FSCONFIG }

    private static final Map<SyscallNr, Arg[]> SIGNATURES = new EnumMap<>(SyscallNr.class);
    private static final Map<Long, SyscallNr> BY_NUMBER = new HashMap<>();

    private static void sig(SyscallNr nr, Arg... args) {
        SIGNATURES.put(nr, args);
    }

    static {
        for (SyscallNr nr : SyscallNr.values()) {
            if (nr.nr() >= 0) {
                BY_NUMBER.put(nr.nr(), nr);
            }
        }
        Arg n = Arg.NUM;
        sig(SyscallNr.READ, Arg.FD, Arg.PTR, n);
        sig(SyscallNr.WRITE, Arg.FD, Arg.BYTES, n);
        sig(SyscallNr.CLOSE, Arg.FD);
        sig(SyscallNr.OPENAT, Arg.FD, Arg.PATH, Arg.OPEN_FLAGS, Arg.OCTAL);
        sig(SyscallNr.OPENAT2, Arg.FD, Arg.PATH, Arg.OPEN_HOW, n);
        sig(SyscallNr.PRCTL, Arg.PRCTL, n, n, n, n);
        sig(SyscallNr.MOUNT, Arg.PATH, Arg.PATH, Arg.PATH, Arg.MS_FLAGS, Arg.PATH);
        sig(SyscallNr.UMOUNT2, Arg.PATH, n);
        sig(SyscallNr.OPEN_TREE, Arg.FD, Arg.PATH, Arg.AT_FLAGS);
        sig(SyscallNr.MOVE_MOUNT, Arg.FD, Arg.PATH, Arg.FD, Arg.PATH, Arg.MOVE_MOUNT_FLAGS);
        sig(SyscallNr.MOUNT_SETATTR, Arg.FD, Arg.PATH, Arg.AT_FLAGS, Arg.MOUNT_ATTR, n);
        sig(SyscallNr.FSOPEN, Arg.PATH, Arg.HEX);
        sig(SyscallNr.FSCONFIG, Arg.FD, Arg.FSCONFIG, Arg.PATH, Arg.PATH, n);
        sig(SyscallNr.FSMOUNT, Arg.FD, Arg.HEX, Arg.ATTR_FLAGS);
        sig(SyscallNr.DUP3, Arg.FD, Arg.FD, Arg.OPEN_FLAGS);
        sig(SyscallNr.FCHDIR, Arg.FD);
        sig(SyscallNr.CHDIR, Arg.PATH);
        sig(SyscallNr.CHROOT, Arg.PATH);
        sig(SyscallNr.PIVOT_ROOT, Arg.PATH, Arg.PATH);
        sig(SyscallNr.MKNODAT, Arg.FD, Arg.PATH, Arg.OCTAL, Arg.HEX);
        sig(SyscallNr.MKDIRAT, Arg.FD, Arg.PATH, Arg.OCTAL);
        sig(SyscallNr.SYMLINKAT, Arg.PATH, Arg.FD, Arg.PATH);
        sig(SyscallNr.UNLINKAT, Arg.FD, Arg.PATH, Arg.HEX);
        sig(SyscallNr.FACCESSAT, Arg.FD, Arg.PATH, n);
        sig(SyscallNr.FCHOWNAT, Arg.FD, Arg.PATH, n, n, Arg.AT_FLAGS);
        sig(SyscallNr.IOCTL, Arg.FD, Arg.IOCTL, n);
        sig(SyscallNr.FCNTL, Arg.FD, Arg.FCNTL, n);
        sig(SyscallNr.CLOSE_RANGE, n, n, Arg.CLOSE_RANGE_FLAGS);
        sig(SyscallNr.UMASK, Arg.OCTAL);
        sig(SyscallNr.UNSHARE, Arg.CLONE_FLAGS);
        sig(SyscallNr.SETNS, Arg.FD, Arg.CLONE_FLAGS);
        sig(SyscallNr.CLONE, Arg.CLONE_FLAGS, n, n, n, n);
        sig(SyscallNr.SETHOSTNAME, Arg.BYTES, n);
        sig(SyscallNr.SETDOMAINNAME, Arg.BYTES, n);
        sig(SyscallNr.SETRESUID, n, n, n);
        sig(SyscallNr.SETRESGID, n, n, n);
        sig(SyscallNr.SETGROUPS, n, Arg.PTR);
        sig(SyscallNr.KEYCTL, n, Arg.PATH);
        sig(SyscallNr.EXECVE, Arg.PATH, Arg.STRV, Arg.STRV);
        sig(SyscallNr.SECCOMP, n, n, Arg.PTR);
        sig(SyscallNr.MUNMAP, Arg.PTR, n);
        sig(SyscallNr.MMAP, Arg.PTR, n, n, Arg.HEX, Arg.FD, Arg.HEX);
        sig(SyscallNr.MPROTECT, Arg.PTR, n, n);
        sig(SyscallNr.MREMAP, Arg.PTR, n, n, n, Arg.PTR);
        sig(SyscallNr.PROCESS_VM_READV, n, Arg.PTR, n, Arg.PTR, n, n);
        sig(SyscallNr.RT_SIGACTION, n, Arg.PTR, Arg.PTR, n);
        sig(SyscallNr.RT_SIGPROCMASK, n, Arg.PTR, Arg.PTR, n);
        sig(SyscallNr.SCHED_SETAFFINITY, n, n, Arg.PTR);
        sig(SyscallNr.GETRANDOM, Arg.PTR, n, n);
        sig(SyscallNr.PPOLL, Arg.PTR, n, Arg.PTR, Arg.PTR, n);
        sig(SyscallNr.CAPSET, Arg.PTR, Arg.CAP_DATA);
        sig(SyscallNr.PRLIMIT64, n, n, Arg.PTR, Arg.PTR);
        sig(SyscallNr.SCHED_SETATTR, n, Arg.PTR, n);
        sig(SyscallNr.SET_MEMPOLICY, n, Arg.PTR, n);
        sig(SyscallNr.PERSONALITY, Arg.HEX);
    }

    private static final long[] OPEN_FLAG_VALUES = {O_WRONLY, O_RDWR, O_CREAT, O_NOCTTY, O_DIRECTORY, O_NOFOLLOW,
        O_CLOEXEC, O_PATH};
    private static final String[] OPEN_FLAG_NAMES = {"O_WRONLY", "O_RDWR", "O_CREAT", "O_NOCTTY", "O_DIRECTORY",
        "O_NOFOLLOW", "O_CLOEXEC", "O_PATH"};
    /** The flags of open_tree, mount_setattr and fchownat share one space (AT_*, with O_CLOEXEC). */
    private static final long[] AT_FLAG_VALUES = {OPEN_TREE_CLONE, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, AT_RECURSIVE,
        O_CLOEXEC};
    private static final String[] AT_FLAG_NAMES = {"OPEN_TREE_CLONE", "AT_SYMLINK_NOFOLLOW", "AT_EMPTY_PATH",
        "AT_RECURSIVE", "O_CLOEXEC"};
    private static final long[] RESOLVE_VALUES = {RESOLVE_NO_XDEV, RESOLVE_NO_MAGICLINKS, RESOLVE_NO_SYMLINKS,
        RESOLVE_BENEATH, RESOLVE_IN_ROOT};
    private static final String[] RESOLVE_NAMES = {"RESOLVE_NO_XDEV", "RESOLVE_NO_MAGICLINKS", "RESOLVE_NO_SYMLINKS",
        "RESOLVE_BENEATH", "RESOLVE_IN_ROOT"};
    private static final long[] MS_VALUES = {MS_MOVE, MS_REC, MountAttr.MS_UNBINDABLE, MountAttr.MS_PRIVATE,
        MountAttr.MS_SLAVE, MountAttr.MS_SHARED};
    private static final String[] MS_NAMES = {"MS_MOVE", "MS_REC", "MS_UNBINDABLE", "MS_PRIVATE", "MS_SLAVE",
        "MS_SHARED"};
    private static final long[] ATTR_VALUES = {MountAttr.RDONLY, MountAttr.NOSUID, MountAttr.NODEV, MountAttr.NOEXEC,
        MountAttr.NOATIME, MountAttr.STRICTATIME, MountAttr.NODIRATIME, MountAttr.NOSYMFOLLOW};
    private static final String[] ATTR_NAMES = {"RDONLY", "NOSUID", "NODEV", "NOEXEC", "NOATIME", "STRICTATIME",
        "NODIRATIME", "NOSYMFOLLOW"};
    private static final long[] MOVE_MOUNT_VALUES = {MOVE_MOUNT_F_EMPTY_PATH, MOVE_MOUNT_T_EMPTY_PATH};
    private static final String[] MOVE_MOUNT_NAMES = {"MOVE_MOUNT_F_EMPTY_PATH", "MOVE_MOUNT_T_EMPTY_PATH"};
    private static final long[] CLONE_VALUES = {ChildLauncher.CLONE_NEWTIME, ChildLauncher.CLONE_NEWNS,
        ChildLauncher.CLONE_NEWCGROUP, ChildLauncher.CLONE_NEWUTS, ChildLauncher.CLONE_NEWIPC, ChildLauncher.CLONE_NEWUSER,
        ChildLauncher.CLONE_NEWPID, ChildLauncher.CLONE_NEWNET, CLONE_PARENT, CLONE_PARENT_SETTID};
    private static final String[] CLONE_NAMES = {"CLONE_NEWTIME", "CLONE_NEWNS", "CLONE_NEWCGROUP", "CLONE_NEWUTS",
        "CLONE_NEWIPC", "CLONE_NEWUSER", "CLONE_NEWPID", "CLONE_NEWNET", "CLONE_PARENT", "CLONE_PARENT_SETTID"};

    private ProgramListing() {}

    /** Every op of {@code program}, in order. */
    public static List<Line> lines(Program program) {
        long[] ops = program.ops();
        List<Line> lines = new ArrayList<>(program.opCount());
        for (int i = 0; i < program.opCount(); i++) {
            int base = i * OP_WIDTH;
            lines.add(new Line(i, program.steps().get((int) ops[base + STEP]), op(ops, base)));
        }
        return lines;
    }

    /** The whole program as text: each step's description, then its ops. */
    public static String render(Program program) {
        StringBuilder out = new StringBuilder(program.role()).append(" program, ")
                .append(program.opCount()).append(" ops, ").append(program.registers()).append(" registers\n");
        String step = null;
        for (Line line : lines(program)) {
            if (!line.step().equals(step)) {
                step = line.step();
                out.append("# ").append(step).append('\n');
            }
            out.append("  ").append(line).append('\n');
        }
        return out.toString();
    }

    private static String op(long[] ops, int base) {
        long opcode = ops[base + OP];
        if (opcode == OPCODE_JUMP) {
            return "goto " + ops[base + TARGET];
        }
        if (opcode == OPCODE_SET) {
            return "r" + ops[base + OUT] + " = " + ops[base + ARG0];
        }
        if (opcode == OPCODE_FAIL) {
            return "fail " + Errno.name((int) ops[base + ERR_VALUE]);
        }
        SyscallNr nr = BY_NUMBER.get(ops[base + NR]);
        String name = nr == null ? "syscall " + ops[base + NR] : nr.name().toLowerCase();
        Arg[] signature = nr == null ? null : SIGNATURES.get(nr);
        if (opcode == OPCODE_SYSCALL_EACH) {
            // The op's third and fourth longs are the call's second and third arguments.
            Arg[] shifted = signature == null || signature.length < 3 ? null
                    : new Arg[] {Arg.NUM, Arg.NUM, signature[1], signature[2]};
            return name + "(each of " + ops[base + ARG0] + ".." + (ops[base + ARG0 + 1] - 1) + ", "
                    + argument(ops, base, 2, shifted) + ", " + argument(ops, base, 3, shifted) + "), errors ignored";
        }
        StringBuilder text = new StringBuilder(name).append('(');
        int count = signature == null ? 6 : signature.length;
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                text.append(", ");
            }
            text.append(argument(ops, base, i, signature));
        }
        text.append(')');
        int out = (int) ops[base + OUT];
        if (out >= 0) {
            text.append(" -> r").append(out);
        }
        text.append(errorHandling(ops, base));
        return text.toString();
    }

    private static String errorHandling(long[] ops, int base) {
        long mode = ops[base + ERR_MODE];
        long value = ops[base + ERR_VALUE];
        long target = ops[base + TARGET];
        if (mode == ON_ERROR_IGNORE) {
            return ", " + Errno.name((int) value) + " ignored";
        }
        if (mode == ON_ANY_ERROR_IGNORE) {
            return ", errors ignored";
        }
        if (mode == ON_ERROR_JUMP) {
            return ", " + Errno.name((int) value) + ": goto " + target;
        }
        if (mode == ON_ANY_ERROR_JUMP) {
            return ", error: goto " + target;
        }
        if (mode == EXPECT_RESULT) {
            return ", expect " + value;
        }
        if (mode == ON_RESULT_JUMP) {
            return ", " + value + ": goto " + target;
        }
        return "";
    }

    private static String argument(long[] ops, int base, int i, Arg[] signature) {
        long value = ops[base + ARG0 + i];
        if ((ops[base + REG_MASK] & (1L << i)) != 0) {
            return "r" + value;
        }
        Arg kind = signature == null || i >= signature.length ? Arg.NUM : signature[i];
        return switch (kind) {
            case NUM -> Long.toString(value);
            case HEX -> "0x" + Long.toHexString(value);
            case OCTAL -> "0" + Long.toOctalString(value);
            case FD -> value == AT_FDCWD ? "AT_FDCWD" : Long.toString(value);
            case PTR -> value == 0 ? "NULL" : "0x" + Long.toHexString(value);
            case PATH -> value == 0 ? "NULL" : quoted(cString(value));
            case BYTES -> bytes(value, ops[base + ARG0 + i + 1]);
            case STRV -> stringVector(value);
            case OPEN_FLAGS -> value == O_RDONLY ? "O_RDONLY" : flags(value, OPEN_FLAG_VALUES, OPEN_FLAG_NAMES);
            case AT_FLAGS -> flags(value, AT_FLAG_VALUES, AT_FLAG_NAMES);
            case CLONE_FLAGS -> flags(value, CLONE_VALUES, CLONE_NAMES);
            case MS_FLAGS -> flags(value, MS_VALUES, MS_NAMES);
            case OPEN_HOW -> openHow(value);
            case MOUNT_ATTR -> mountAttr(value);
            case ATTR_FLAGS -> flags(value, ATTR_VALUES, ATTR_NAMES);
            case MOVE_MOUNT_FLAGS -> flags(value, MOVE_MOUNT_VALUES, MOVE_MOUNT_NAMES);
            case CLOSE_RANGE_FLAGS -> value == CLOSE_RANGE_CLOEXEC ? "CLOSE_RANGE_CLOEXEC" : Long.toString(value);
            case CAP_DATA -> capabilities(value);
            case PRCTL -> prctl(value);
            case FCNTL -> value == F_SETFD ? "F_SETFD" : value == F_DUPFD_CLOEXEC ? "F_DUPFD_CLOEXEC" : Long.toString(value);
            case IOCTL -> ioctl(value);
            case FSCONFIG -> value == FSCONFIG_SET_FLAG ? "FSCONFIG_SET_FLAG"
                    : value == FSCONFIG_SET_STRING ? "FSCONFIG_SET_STRING"
                    : value == FSCONFIG_CMD_CREATE ? "FSCONFIG_CMD_CREATE" : Long.toString(value);
        };
    }

    /** {@code A|B|0x40}: the named bits, then what is left in hex; {@code 0} for none. */
    private static String flags(long value, long[] values, String[] names) {
        StringBuilder text = new StringBuilder();
        long left = value;
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0 && (left & values[i]) == values[i]) {
                text.append(text.isEmpty() ? "" : "|").append(names[i]);
                left &= ~values[i];
            }
        }
        if (left != 0 || text.isEmpty()) {
            text.append(text.isEmpty() ? "" : "|").append(left == 0 ? "0" : "0x" + Long.toHexString(left));
        }
        return text.toString();
    }

    private static String openHow(long address) {
        MemorySegment how = MemorySegment.ofAddress(address).reinterpret(24);
        return "{flags=" + flags(how.get(JAVA_LONG, 0), OPEN_FLAG_VALUES, OPEN_FLAG_NAMES)
                + ", mode=0" + Long.toOctalString(how.get(JAVA_LONG, 8))
                + ", resolve=" + flags(how.get(JAVA_LONG, 16), RESOLVE_VALUES, RESOLVE_NAMES) + "}";
    }

    private static String mountAttr(long address) {
        MemorySegment attr = MemorySegment.ofAddress(address).reinterpret(32);
        return "{set=" + flags(attr.get(JAVA_LONG, 0), ATTR_VALUES, ATTR_NAMES)
                + ", clear=" + flags(attr.get(JAVA_LONG, 8), ATTR_VALUES, ATTR_NAMES)
                + ", propagation=" + flags(attr.get(JAVA_LONG, 16), MS_VALUES, MS_NAMES) + "}";
    }

    /** capset's two {@code __user_cap_data_struct}s as 64-bit sets. */
    private static String capabilities(long address) {
        MemorySegment data = MemorySegment.ofAddress(address).reinterpret(24);
        return "{effective=0x" + Long.toHexString(capSet(data, 0)) + ", permitted=0x" + Long.toHexString(capSet(data, 4))
                + ", inheritable=0x" + Long.toHexString(capSet(data, 8)) + "}";
    }

    private static long capSet(MemorySegment data, long offset) {
        return Integer.toUnsignedLong(data.get(JAVA_INT, offset)) | ((long) data.get(JAVA_INT, offset + 12) << 32);
    }

    private static String prctl(long option) {
        if (option == PR_SET_PDEATHSIG) {
            return "PR_SET_PDEATHSIG";
        } else if (option == PR_SET_DUMPABLE) {
            return "PR_SET_DUMPABLE";
        } else if (option == PR_SET_KEEPCAPS) {
            return "PR_SET_KEEPCAPS";
        } else if (option == PR_CAPBSET_DROP) {
            return "PR_CAPBSET_DROP";
        } else if (option == PR_SET_NO_NEW_PRIVS) {
            return "PR_SET_NO_NEW_PRIVS";
        } else if (option == PR_CAP_AMBIENT) {
            return "PR_CAP_AMBIENT";
        } else if (option == PR_SET_NAME) {
            return "PR_SET_NAME";
        } else if (option == PR_SET_MM) {
            return "PR_SET_MM";
        }
        return Long.toString(option);
    }

    private static String ioctl(long request) {
        if (request == TIOCSCTTY) {
            return "TIOCSCTTY";
        } else if (request == TIOCSWINSZ) {
            return "TIOCSWINSZ";
        } else if (request == TIOCGPTPEER) {
            return "TIOCGPTPEER";
        } else if (request == TIOCSPTLCK) {
            return "TIOCSPTLCK";
        }
        return "0x" + Long.toHexString(request);
    }

    private static String cString(long address) {
        return MemorySegment.ofAddress(address).reinterpret(Long.MAX_VALUE).getString(0, StandardCharsets.UTF_8);
    }

    private static String bytes(long address, long length) {
        if (address == 0 || length < 0 || length > 4096) {
            return "0x" + Long.toHexString(address);
        }
        byte[] content = MemorySegment.ofAddress(address).reinterpret(length).toArray(JAVA_BYTE);
        for (byte c : content) {
            if (c >= 0 && c < 0x20 && c != '\n') {
                return hex(content);
            }
        }
        return quoted(new String(content, StandardCharsets.UTF_8));
    }

    /** Binary content, e.g. a report record: {@code <fe ff ff ff 00 00 00 00>}. */
    private static String hex(byte[] content) {
        StringBuilder text = new StringBuilder("<");
        for (byte c : content) {
            text.append(text.length() > 1 ? " " : "").append(Character.forDigit((c >> 4) & 0xf, 16))
                    .append(Character.forDigit(c & 0xf, 16));
        }
        return text.append('>').toString();
    }

    private static String stringVector(long address) {
        if (address == 0) {
            return "NULL";
        }
        MemorySegment array = MemorySegment.ofAddress(address).reinterpret(Long.MAX_VALUE);
        StringBuilder text = new StringBuilder("[");
        for (long i = 0; ; i++) {
            long element = array.getAtIndex(JAVA_LONG, i);
            if (element == 0) {
                break;
            }
            text.append(i == 0 ? "" : ", ").append(quoted(cString(element)));
        }
        return text.append(']').toString();
    }

    private static String quoted(String s) {
        return Log.quote(s);
    }
}
