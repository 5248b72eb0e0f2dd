package jrun.process;

import static jrun.process.ChildInterpreter.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jrun.sys.NativeCopy;
import jrun.sys.SyscallNr;

/**
 * Assembles a {@link Program}: system calls with their arguments already in native memory,
 * registers for results that later calls use (fds, mostly), labels and jumps for the few
 * decisions the child must take on its own (does this path exist, is it a directory).
 */
public final class ProgramBuilder {
    /** A register of the child program; arguments given as a {@code Reg} are read from it. */
    public record Reg(int index) {}

    /** A jump target, bound to a position with {@link #bind}. */
    public static final class Label {
        private int position = -1;
        private final List<Integer> uses = new ArrayList<>();
    }

    /** The last op added, to set how its result is kept and its errors handled. */
    public final class OpRef {
        private final int base;

        private OpRef(int base) {
            this.base = base;
        }

        public OpRef into(Reg reg) {
            ops[base + OUT] = reg.index();
            return this;
        }

        public OpRef ignoring(int errno) {
            ops[base + ERR_MODE] = ON_ERROR_IGNORE;
            ops[base + ERR_VALUE] = errno;
            return this;
        }

        public OpRef ignoringErrors() {
            ops[base + ERR_MODE] = ON_ANY_ERROR_IGNORE;
            return this;
        }

        public OpRef onErrno(int errno, Label target) {
            ops[base + ERR_MODE] = ON_ERROR_JUMP;
            ops[base + ERR_VALUE] = errno;
            target.uses.add(base);
            return this;
        }

        public OpRef onError(Label target) {
            ops[base + ERR_MODE] = ON_ANY_ERROR_JUMP;
            target.uses.add(base);
            return this;
        }

        /** Jumps to {@code target} when the call returns {@code result}; an error fails the step. */
        public OpRef onResult(long result, Label target) {
            ops[base + ERR_MODE] = ON_RESULT_JUMP;
            ops[base + ERR_VALUE] = result;
            target.uses.add(base);
            return this;
        }

        public OpRef expect(long result) {
            ops[base + ERR_MODE] = EXPECT_RESULT;
            ops[base + ERR_VALUE] = result;
            return this;
        }
    }

    private final Arena arena;
    private long[] ops = new long[OP_WIDTH * 64];
    private int count;
    private int registers;
    private final List<String> steps = new ArrayList<>();
    private final List<Label> labels = new ArrayList<>();
    private final java.util.Map<String, Long> strings = new java.util.HashMap<>();
    private static final long BLOCK_SIZE = 16384;
    private MemorySegment block;
    private long blockUsed;

    private String role = "container init";
    private String laterStepsNote;

    public ProgramBuilder(Arena arena) {
        this.arena = arena;
        steps.add("prepare the container process");
    }

    /** What the child is, as its errors will say ("container init failed: ..."). */
    public void role(String what) {
        this.role = what;
    }

    public Arena arena() {
        return arena;
    }

    public Reg newReg() {
        return new Reg(registers++);
    }

    /** A NUL-terminated UTF-8 string in native memory; returns its address. */
    public long cstr(String s) {
        Long known = strings.get(s);
        if (known != null) {
            return known;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        MemorySegment at = buffer(bytes.length + 1L);
        NativeCopy.put(bytes, 0, at, 0, bytes.length);
        strings.put(s, at.address());
        return at.address();
    }

    /**
     * A zeroed native buffer, carved from large blocks: a program has hundreds of small strings
     * and structs, and one arena allocation each cost most of the time to build it.
     */
    public MemorySegment buffer(long size) {
        long aligned = (Math.max(size, 1) + 7) & ~7L;
        if (aligned > BLOCK_SIZE / 4) {
            return arena.allocate(aligned, 8);
        }
        if (block == null || blockUsed + aligned > block.byteSize()) {
            block = arena.allocate(BLOCK_SIZE, 8);
            blockUsed = 0;
        }
        MemorySegment slice = block.asSlice(blockUsed, aligned);
        blockUsed += aligned;
        return slice;
    }

    /** A NULL-terminated {@code char *[]} of the strings, as execve wants argv and envp. */
    public long cstrArray(List<String> strings) {
        MemorySegment array = buffer(8L * (strings.size() + 1));
        for (int i = 0; i < strings.size(); i++) {
            array.setAtIndex(ValueLayout.JAVA_LONG, i, cstr(strings.get(i)));
        }
        return array.address();
    }

    /** Ops added from now on belong to a step described so in error messages. */
    public void step(String description) {
        steps.add(laterStepsNote == null ? description : description + laterStepsNote);
    }

    /**
     * Appends {@code note} to the description of every step begun from now on: what holds for
     * all of them when one fails, e.g. that a seccomp filter is already in force.
     */
    public void noteOnLaterSteps(String note) {
        laterStepsNote = note;
    }

    public int currentStep() {
        return steps.size() - 1;
    }

    /** A system call; each argument is a number (Long or Integer) or a {@link Reg}. */
    public OpRef call(SyscallNr nr, Object... args) {
        long number = nr.nr();
        if (number < 0) {
            throw new UnsupportedOperationException(nr + " does not exist on this architecture");
        }
        return rawCall(number, args);
    }

    /** A call by number; the warm-up uses -1, which the kernel refuses with ENOSYS. */
    OpRef rawCall(long number, Object... args) {
        if (args.length > 6) {
            throw new IllegalArgumentException("at most six arguments");
        }
        int base = add(OPCODE_SYSCALL);
        ops[base + NR] = number;
        long mask = 0;
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Reg r) {
                ops[base + ARG0 + i] = r.index();
                mask |= 1L << i;
            } else if (a instanceof Number n) {
                ops[base + ARG0 + i] = n.longValue();
            } else {
                throw new IllegalArgumentException("argument " + i + " is neither a number nor a register: " + a);
            }
        }
        ops[base + REG_MASK] = mask;
        return new OpRef(base);
    }

    /**
     * {@code nr(first, arg1, arg2)} for every {@code first} in [{@code from}, {@code to}), errors
     * ignored (see {@link ChildInterpreter#OPCODE_SYSCALL_EACH}).
     */
    public void callEach(SyscallNr nr, long from, long to, long arg1, long arg2) {
        rawCallEach(nr.nr(), from, to, arg1, arg2);
    }

    /** {@link #callEach} by number; the warm-up uses -1. */
    void rawCallEach(long number, long from, long to, long arg1, long arg2) {
        int base = add(OPCODE_SYSCALL_EACH);
        ops[base + NR] = number;
        ops[base + ARG0] = from;
        ops[base + ARG0 + 1] = to;
        ops[base + ARG0 + 2] = arg1;
        ops[base + ARG0 + 3] = arg2;
    }

    public Label label() {
        Label l = new Label();
        labels.add(l);
        return l;
    }

    public void bind(Label label) {
        label.position = count;
    }

    public void jump(Label target) {
        int base = add(OPCODE_JUMP);
        target.uses.add(base);
    }

    public void set(Reg reg, long value) {
        int base = add(OPCODE_SET);
        ops[base + OUT] = reg.index();
        ops[base + ARG0] = value;
    }

    /** Fails the current step with {@code errno}. */
    /**
     * Fails the step with {@code errno} (0: "unexpected result") unless the native long at
     * {@code address}, a {@link #buffer} an earlier call of the program filled, equals {@code value}.
     */
    public void expectLong(long address, long value, int errno) {
        expectLong(address, value, false, errno);
    }

    /** Like {@link #expectLong(long, long, int)}, but the long must differ from {@code value}. */
    public void expectOtherLong(long address, long value, int errno) {
        expectLong(address, value, true, errno);
    }

    private void expectLong(long address, long value, boolean differ, int errno) {
        int base = add(OPCODE_EXPECT_LONG);
        ops[base + ARG0] = address;
        ops[base + ARG0 + 1] = value;
        ops[base + ARG0 + 2] = differ ? 1 : 0;
        ops[base + ERR_VALUE] = errno;
    }

    public void fail(int errno) {
        int base = add(OPCODE_FAIL);
        ops[base + ERR_VALUE] = errno;
    }

    private int add(long opcode) {
        if ((count + 1) * OP_WIDTH > ops.length) {
            ops = Arrays.copyOf(ops, ops.length * 2);
        }
        int base = count * OP_WIDTH;
        ops[base + OP] = opcode;
        ops[base + OUT] = -1;
        ops[base + ERR_MODE] = ON_ERROR_FAIL;
        ops[base + STEP] = currentStep();
        count++;
        return base;
    }

    /** Resolves every jump to its label's position; a used label must have been bound. */
    public Program build() {
        for (Label l : labels) {
            if (l.uses.isEmpty()) {
                continue;
            }
            if (l.position < 0) {
                throw new IllegalStateException("a label is jumped to but never bound");
            }
            for (int base : l.uses) {
                ops[base + TARGET] = l.position;
            }
        }
        return new Program(Arrays.copyOf(ops, count * OP_WIDTH), List.copyOf(steps), registers, arena, role);
    }
}
