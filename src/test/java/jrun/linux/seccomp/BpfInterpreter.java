package jrun.linux.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Runs a classic BPF seccomp program over a {@code struct seccomp_data} the way the kernel
 * does, so tests can ask what a compiled filter answers for a call without loading it into a
 * process. Covers the instruction classes libseccomp emits (and the rest of cBPF's, which are
 * few). The kernel's checker would refuse a malformed program; here it throws.
 */
public final class BpfInterpreter {
    public static final int AUDIT_ARCH_X86_64 = 0xC000003E;
    public static final int AUDIT_ARCH_I386 = 0x40000003;
    public static final int X32_SYSCALL_BIT = 0x40000000;

    private static final int BPF_LD = 0x00, BPF_LDX = 0x01, BPF_ST = 0x02, BPF_STX = 0x03, BPF_ALU = 0x04,
            BPF_JMP = 0x05, BPF_RET = 0x06, BPF_MISC = 0x07;
    private static final int BPF_W = 0x00;
    private static final int BPF_IMM = 0x00, BPF_ABS = 0x20, BPF_MEM = 0x60, BPF_LEN = 0x80;
    private static final int BPF_K = 0x00, BPF_X = 0x08, BPF_A = 0x10;
    private static final int SECCOMP_DATA_SIZE = 64;

    private final ByteBuffer program;

    public BpfInterpreter(byte[] program) {
        if (program.length % 8 != 0) {
            throw new IllegalArgumentException("a BPF program is a whole number of 8-byte instructions");
        }
        this.program = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
    }

    public int instructions() {
        return program.capacity() / 8;
    }

    /** The filter's 32-bit return value (action | data) for this call. */
    public int run(int arch, int nr, long... args) {
        ByteBuffer data = ByteBuffer.allocate(SECCOMP_DATA_SIZE).order(ByteOrder.nativeOrder());
        data.putInt(0, nr);
        data.putInt(4, arch);
        for (int i = 0; i < args.length; i++) {
            data.putLong(16 + 8 * i, args[i]);
        }
        int a = 0;
        int x = 0;
        int[] mem = new int[16];
        int pc = 0;
        for (int steps = 0; steps < 100_000; steps++) {
            int at = pc * 8;
            int code = program.getShort(at) & 0xffff;
            int jt = program.get(at + 2) & 0xff;
            int jf = program.get(at + 3) & 0xff;
            int k = program.getInt(at + 4);
            pc++;
            switch (code & 0x07) {
                case BPF_LD -> {
                    int mode = code & 0xe0;
                    a = switch (mode) {
                        case BPF_ABS -> {
                            if ((code & 0x18) != BPF_W || k < 0 || k > SECCOMP_DATA_SIZE - 4 || k % 4 != 0) {
                                throw new IllegalStateException("bad load at " + (pc - 1));
                            }
                            yield data.getInt(k);
                        }
                        case BPF_IMM -> k;
                        case BPF_MEM -> mem[k];
                        case BPF_LEN -> SECCOMP_DATA_SIZE;
                        default -> throw new IllegalStateException("load mode " + mode);
                    };
                }
                case BPF_LDX -> {
                    int mode = code & 0xe0;
                    x = switch (mode) {
                        case BPF_IMM -> k;
                        case BPF_MEM -> mem[k];
                        case BPF_LEN -> SECCOMP_DATA_SIZE;
                        default -> throw new IllegalStateException("ldx mode " + mode);
                    };
                }
                case BPF_ST -> mem[k] = a;
                case BPF_STX -> mem[k] = x;
                case BPF_ALU -> {
                    int operand = (code & BPF_X) != 0 ? x : k;
                    a = switch (code & 0xf0) {
                        case 0x00 -> a + operand;
                        case 0x10 -> a - operand;
                        case 0x20 -> a * operand;
                        case 0x30 -> Integer.divideUnsigned(a, operand);
                        case 0x40 -> a | operand;
                        case 0x50 -> a & operand;
                        case 0x60 -> a << operand;
                        case 0x70 -> a >>> operand;
                        case 0x80 -> -a;
                        case 0x90 -> Integer.remainderUnsigned(a, operand);
                        case 0xa0 -> a ^ operand;
                        default -> throw new IllegalStateException("alu op " + (code & 0xf0));
                    };
                }
                case BPF_JMP -> {
                    int operand = (code & BPF_X) != 0 ? x : k;
                    int op = code & 0xf0;
                    if (op == 0x00) {
                        pc += k;
                    } else {
                        boolean taken = switch (op) {
                            case 0x10 -> a == operand;
                            case 0x20 -> Integer.compareUnsigned(a, operand) > 0;
                            case 0x30 -> Integer.compareUnsigned(a, operand) >= 0;
                            case 0x40 -> (a & operand) != 0;
                            default -> throw new IllegalStateException("jump op " + op);
                        };
                        pc += taken ? jt : jf;
                    }
                }
                case BPF_RET -> {
                    return switch (code & 0x18) {
                        case BPF_K -> k;
                        case BPF_A -> a;
                        default -> throw new IllegalStateException("ret source");
                    };
                }
                case BPF_MISC -> {
                    if ((code & 0xf8) == 0x00) {
                        x = a;      // TAX
                    } else {
                        a = x;      // TXA
                    }
                }
                default -> throw new IllegalStateException("instruction class " + (code & 0x07));
            }
            if (pc >= instructions()) {
                throw new IllegalStateException("ran off the end of the program");
            }
        }
        throw new IllegalStateException("no return after 100000 steps");
    }
}
