package jrun.linux.cgroups;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The cgroup v2 device controller is an eBPF program of type BPF_PROG_TYPE_CGROUP_DEVICE: the
 * kernel runs it on every open and mknod of a device node with a {@code struct
 * bpf_cgroup_dev_ctx} ({@code u32 access_type} whose low half is the device type and high half
 * the access, {@code u32 major}, {@code u32 minor}) and allows the operation when it returns 1.
 *
 * <p>This assembles that program from a {@link DeviceRules.Result}: one block per exception that
 * compares type, major and minor and then the access bits, and a last instruction returning the
 * default. On a deny-by-default cgroup an exception allows a request it covers entirely; on an
 * allow-by-default one it denies a request it overlaps: v1's rules, so both modes agree.
 */
public final class DeviceFilter {
    static final int DEV_BLOCK = 1;
    static final int DEV_CHAR = 2;

    // Opcodes (linux/bpf.h, bpf_common.h): class | op | source.
    private static final int LDX_MEM_W = 0x01 | 0x60 | 0x00;
    private static final int ALU32_MOV_X = 0x04 | 0xb0 | 0x08;
    private static final int ALU32_AND_K = 0x04 | 0x50;
    private static final int ALU32_RSH_K = 0x04 | 0x70;
    private static final int ALU64_MOV_K = 0x07 | 0xb0;
    private static final int JMP32_JNE_K = 0x06 | 0x50;
    private static final int JMP32_JEQ_K = 0x06 | 0x10;
    private static final int EXIT = 0x05 | 0x90;

    // Registers: r1 is the context; the program keeps its decoded fields in r2..r6.
    private static final int CTX = 1;
    private static final int TYPE = 2;
    private static final int ACCESS = 3;
    private static final int MAJOR = 4;
    private static final int MINOR = 5;
    private static final int SCRATCH = 6;

    private DeviceFilter() {}

    /** One instruction: 8 bytes, little-endian. */
    record Insn(int op, int dst, int src, int off, int imm) {}

    /** The program's instructions. */
    static List<Insn> assemble(DeviceRules.Result rules) {
        List<Insn> p = new ArrayList<>();
        p.add(new Insn(LDX_MEM_W, TYPE, CTX, 0, 0));
        p.add(new Insn(LDX_MEM_W, MAJOR, CTX, 4, 0));
        p.add(new Insn(LDX_MEM_W, MINOR, CTX, 8, 0));
        p.add(new Insn(ALU32_MOV_X, ACCESS, TYPE, 0, 0));
        p.add(new Insn(ALU32_RSH_K, ACCESS, 0, 0, 16));
        p.add(new Insn(ALU32_AND_K, TYPE, 0, 0, 0xffff));
        for (DeviceRules.Rule r : rules.exceptions()) {
            p.addAll(block(r, rules.defaultAllow()));
        }
        p.add(new Insn(ALU64_MOV_K, 0, 0, 0, rules.defaultAllow() ? 1 : 0));
        p.add(new Insn(EXIT, 0, 0, 0, 0));
        return p;
    }

    /**
     * The block of one exception. Its jumps carry a placeholder offset of -1 meaning "past the
     * end of this block", fixed once the block's length is known.
     */
    private static List<Insn> block(DeviceRules.Rule r, boolean defaultAllow) {
        List<Insn> b = new ArrayList<>();
        b.add(new Insn(JMP32_JNE_K, TYPE, 0, -1, r.type() == 'b' ? DEV_BLOCK : DEV_CHAR));
        if (r.major() != DeviceRules.ANY) {
            b.add(new Insn(JMP32_JNE_K, MAJOR, 0, -1, (int) r.major()));
        }
        if (r.minor() != DeviceRules.ANY) {
            b.add(new Insn(JMP32_JNE_K, MINOR, 0, -1, (int) r.minor()));
        }
        if (defaultAllow) {
            // A deny exception: any overlap with its access is refused.
            b.add(new Insn(ALU32_MOV_X, SCRATCH, ACCESS, 0, 0));
            b.add(new Insn(ALU32_AND_K, SCRATCH, 0, 0, r.access()));
            b.add(new Insn(JMP32_JEQ_K, SCRATCH, 0, -1, 0));
            b.add(new Insn(ALU64_MOV_K, 0, 0, 0, 0));
        } else {
            // An allow exception: the request must not ask for anything it lacks.
            if (r.access() != DeviceRules.ALL) {
                b.add(new Insn(ALU32_MOV_X, SCRATCH, ACCESS, 0, 0));
                b.add(new Insn(ALU32_AND_K, SCRATCH, 0, 0, ~r.access() & DeviceRules.ALL));
                b.add(new Insn(JMP32_JNE_K, SCRATCH, 0, -1, 0));
            }
            b.add(new Insn(ALU64_MOV_K, 0, 0, 0, 1));
        }
        b.add(new Insn(EXIT, 0, 0, 0, 0));
        List<Insn> fixed = new ArrayList<>(b.size());
        for (int i = 0; i < b.size(); i++) {
            Insn in = b.get(i);
            fixed.add(in.off() == -1 ? new Insn(in.op(), in.dst(), in.src(), b.size() - i - 1, in.imm()) : in);
        }
        return fixed;
    }

    /** The program as the kernel takes it: {@code struct bpf_insn[]}. */
    public static byte[] compile(DeviceRules.Result rules) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Insn in : assemble(rules)) {
            out.write(in.op());
            out.write((in.src() << 4) | in.dst());
            out.write(in.off() & 0xff);
            out.write((in.off() >> 8) & 0xff);
            for (int shift = 0; shift < 32; shift += 8) {
                out.write((in.imm() >> shift) & 0xff);
            }
        }
        return out.toByteArray();
    }

    /**
     * Runs the program on one request, as the kernel would: for tests, and to check a program
     * against the v1 semantics without loading it.
     */
    static boolean allows(List<Insn> program, int type, int access, long major, long minor) {
        long[] reg = new long[11];
        int[] ctx = {(access << 16) | type, (int) major, (int) minor};
        for (int pc = 0; pc < program.size(); pc++) {
            Insn in = program.get(pc);
            switch (in.op()) {
                case LDX_MEM_W -> reg[in.dst()] = Integer.toUnsignedLong(ctx[in.off() / 4]);
                case ALU32_MOV_X -> reg[in.dst()] = reg[in.src()] & 0xffffffffL;
                case ALU32_AND_K -> reg[in.dst()] = (reg[in.dst()] & in.imm()) & 0xffffffffL;
                case ALU32_RSH_K -> reg[in.dst()] = ((reg[in.dst()] & 0xffffffffL) >>> in.imm()) & 0xffffffffL;
                case ALU64_MOV_K -> reg[in.dst()] = in.imm();
                case JMP32_JNE_K -> pc += (int) reg[in.dst()] != in.imm() ? in.off() : 0;
                case JMP32_JEQ_K -> pc += (int) reg[in.dst()] == in.imm() ? in.off() : 0;
                case EXIT -> {
                    return reg[0] == 1;
                }
                default -> throw new IllegalStateException("opcode " + in.op());
            }
        }
        throw new IllegalStateException("the program fell off its end");
    }
}
