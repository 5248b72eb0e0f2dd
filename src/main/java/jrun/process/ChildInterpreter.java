package jrun.process;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jrun.sys.Native;

/**
 * Executes a {@link Program} in the child of {@code clone3}.
 *
 * <p>That child is a copy of the whole JVM with a single thread: the compiler threads, the GC
 * and the VM thread did not come along. It must behave like C code between fork and exec
 * (README, "Design: how a JVM becomes a container"): no allocation, no class loading or linking, no locks, no exceptions. So the
 * child runs this one small loop over a {@code long[]} of prepared ops, which makes exactly one
 * kind of downcall ({@link Native#criticalSyscall}, which allocates nothing); all branching is data (jump targets and errno
 * tests in the ops). The parent runs this same code on a harmless program before cloning
 * ({@link #warmUp}) so that every bytecode on the path has been resolved and every handle
 * invoked: a call site first reached in the child would block forever on a JVM lock.
 *
 * <p>Op layout (longs): opcode, syscall number, six arguments, a mask of which arguments are
 * register numbers, the register to store the result in (or -1), the error mode, its value,
 * a jump target, and the step index used for error reports.
 */
public final class ChildInterpreter {
    public static final int OP_WIDTH = 14;

    static final int OP = 0;
    static final int NR = 1;
    static final int ARG0 = 2;
    static final int REG_MASK = 8;
    static final int OUT = 9;
    static final int ERR_MODE = 10;
    static final int ERR_VALUE = 11;
    static final int TARGET = 12;
    static final int STEP = 13;

    static final long OPCODE_SYSCALL = 0;
    static final long OPCODE_JUMP = 1;
    static final long OPCODE_SET = 2;
    static final long OPCODE_FAIL = 3;
    /**
     * The system call once for each first argument from ARG0 up to (not including) ARG0+1, with
     * ARG0+2 and ARG0+3 as its next two; errors are ignored. A loop the program cannot spell
     * with jumps (it has no arithmetic): fcntl over an fd range when close_range is refused.
     */
    static final long OPCODE_SYSCALL_EACH = 4;
    /**
     * The native long at address ARG0 (a buffer an earlier call filled) must equal ARG0+1 (must
     * differ from it when ARG0+2 is 1), else the step fails with the errno in ERR_VALUE:
     * fstatfs's f_type against a filesystem magic.
     */
    static final long OPCODE_EXPECT_LONG = 5;

    /**
     * All of memory, made once in the parent: reading a value through it allocates nothing,
     * where a segment made for the address in the child would.
     */
    private static final MemorySegment MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /** Any error fails the step. */
    static final long ON_ERROR_FAIL = 0;
    /** The errno in ERR_VALUE is ignored (the result register gets -1); others fail. */
    static final long ON_ERROR_IGNORE = 1;
    /** The errno in ERR_VALUE jumps to TARGET; others fail. */
    static final long ON_ERROR_JUMP = 2;
    /** Any error jumps to TARGET. */
    static final long ON_ANY_ERROR_JUMP = 3;
    /** The result must equal ERR_VALUE, else the step fails (with errno, or 0 for a short read). */
    static final long EXPECT_RESULT = 4;
    /** Any error is ignored. */
    static final long ON_ANY_ERROR_IGNORE = 5;
    /** A result equal to ERR_VALUE jumps to TARGET (a fork's 0 in the new process); errors fail. */
    static final long ON_RESULT_JUMP = 6;

    private ChildInterpreter() {}

    /**
     * Runs {@code ops}. Returns -1 when the program ran to its end, or the index of the step that
     * failed, after writing the failure record (step, errno: two native ints taken from the
     * prepared tables) to {@code reportFd}.
     *
     * @param stepTable  address of an int table holding 0, 1, 2, ... (one entry per step)
     * @param errnoTable address of an int table holding 0..4095, indexed by errno
     */
    public static int run(long[] ops, long[] regs, MemorySegment errnoLocation, long writeNr,
                          long reportFd, long stepTable, long errnoTable) {
        int count = ops.length / OP_WIDTH;
        int pc = 0;
        while (pc < count) {
            int base = pc * OP_WIDTH;
            long opcode = ops[base + OP];
            if (opcode == OPCODE_JUMP) {
                pc = (int) ops[base + TARGET];
                continue;
            }
            if (opcode == OPCODE_SET) {
                regs[(int) ops[base + OUT]] = ops[base + ARG0];
                pc++;
                continue;
            }
            if (opcode == OPCODE_SYSCALL_EACH) {
                long nr = ops[base + NR];
                long end = ops[base + ARG0 + 1];
                for (long first = ops[base + ARG0]; first < end; first++) {
                    Native.criticalSyscall(nr, first, ops[base + ARG0 + 2], ops[base + ARG0 + 3], 0, 0, 0);
                }
                pc++;
                continue;
            }
            int errno = 0;
            boolean failed;
            if (opcode == OPCODE_FAIL) {
                errno = (int) ops[base + ERR_VALUE];
                failed = true;
            } else if (opcode == OPCODE_EXPECT_LONG) {
                boolean equal = MEMORY.get(ValueLayout.JAVA_LONG_UNALIGNED, ops[base + ARG0]) == ops[base + ARG0 + 1];
                failed = equal == (ops[base + ARG0 + 2] == 1);
                errno = (int) ops[base + ERR_VALUE];
            } else {
                long mask = ops[base + REG_MASK];
                long a0 = (mask & 1) != 0 ? regs[(int) ops[base + ARG0]] : ops[base + ARG0];
                long a1 = (mask & 2) != 0 ? regs[(int) ops[base + ARG0 + 1]] : ops[base + ARG0 + 1];
                long a2 = (mask & 4) != 0 ? regs[(int) ops[base + ARG0 + 2]] : ops[base + ARG0 + 2];
                long a3 = (mask & 8) != 0 ? regs[(int) ops[base + ARG0 + 3]] : ops[base + ARG0 + 3];
                long a4 = (mask & 16) != 0 ? regs[(int) ops[base + ARG0 + 4]] : ops[base + ARG0 + 4];
                long a5 = (mask & 32) != 0 ? regs[(int) ops[base + ARG0 + 5]] : ops[base + ARG0 + 5];
                long r = Native.criticalSyscall(ops[base + NR], a0, a1, a2, a3, a4, a5);
                int out = (int) ops[base + OUT];
                if (out >= 0) {
                    regs[out] = r;
                }
                long mode = ops[base + ERR_MODE];
                failed = false;
                if (mode == ON_RESULT_JUMP && r == ops[base + ERR_VALUE]) {
                    pc = (int) ops[base + TARGET];
                    continue;
                }
                if (mode == EXPECT_RESULT) {
                    if (r != ops[base + ERR_VALUE]) {
                        errno = r == -1 ? Native.errnoAt(errnoLocation) : 0;
                        failed = true;
                    }
                } else if (r == -1) {
                    errno = Native.errnoAt(errnoLocation);
                    if (mode == ON_ANY_ERROR_IGNORE) {
                        failed = false;
                    } else if (mode == ON_ANY_ERROR_JUMP
                            || (mode == ON_ERROR_JUMP && errno == ops[base + ERR_VALUE])) {
                        pc = (int) ops[base + TARGET];
                        continue;
                    } else {
                        failed = mode != ON_ERROR_IGNORE || errno != ops[base + ERR_VALUE];
                    }
                }
            }
            if (failed) {
                long step = ops[base + STEP];
                int e = errno < 0 || errno > 4095 ? 0 : errno;
                Native.criticalSyscall(writeNr, reportFd, stepTable + 4 * step, 4, 0, 0, 0);
                Native.criticalSyscall(writeNr, reportFd, errnoTable + 4L * e, 4, 0, 0, 0);
                return (int) step;
            }
            pc++;
        }
        return -1;
    }
}
