package jrun.linux.cgroups;

import static jrun.linux.cgroups.DeviceRules.ALL;
import static jrun.linux.cgroups.DeviceRules.ANY;
import static jrun.linux.cgroups.DeviceRules.MKNOD;
import static jrun.linux.cgroups.DeviceRules.READ;
import static jrun.linux.cgroups.DeviceRules.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import jrun.linux.cgroups.DeviceRules.Rule;
import org.junit.jupiter.api.Test;

/**
 * The eBPF program, run by {@link DeviceFilter#allows} as the kernel would, against v1's rules
 * written out by hand: on a deny-by-default cgroup an exception must cover the whole request, on
 * an allow-by-default one any overlap denies.
 */
class DeviceFilterTest {
    private static final int CHAR = DeviceFilter.DEV_CHAR;
    private static final int BLOCK = DeviceFilter.DEV_BLOCK;

    /** v1's decision, from the kernel's match_exception / match_exception_partial. */
    private static boolean v1Allows(DeviceRules.Result r, int type, int access, long major, long minor) {
        for (Rule e : r.exceptions()) {
            boolean device = (e.type() == 'b' ? BLOCK : CHAR) == type && (e.major() == ANY || e.major() == major)
                    && (e.minor() == ANY || e.minor() == minor);
            if (!device) {
                continue;
            }
            if (!r.defaultAllow() && (access & ~e.access()) == 0) {
                return true;
            }
            if (r.defaultAllow() && (access & e.access()) != 0) {
                return false;
            }
        }
        return r.defaultAllow();
    }

    private static void agreesWithV1(DeviceRules.Result rules) {
        List<DeviceFilter.Insn> program = DeviceFilter.assemble(rules);
        for (int type : new int[] {CHAR, BLOCK}) {
            for (int access = 1; access <= ALL; access++) {
                for (long major : new long[] {1, 5, 8, 10, 136, 250}) {
                    for (long minor : new long[] {0, 2, 3, 5, 200, 7}) {
                        assertEquals(v1Allows(rules, type, access, major, minor),
                                DeviceFilter.allows(program, type, access, major, minor),
                                rules + ": type " + type + " access " + access + " " + major + ":" + minor);
                    }
                }
            }
        }
    }

    @Test
    void theWhitelistOfTheDefaultsAllowsExactlyWhatV1Allows() {
        DeviceRules.Result r = DeviceRules.reduce(DeviceRules.withDefaults(List.of()));
        agreesWithV1(r);
        List<DeviceFilter.Insn> p = DeviceFilter.assemble(r);
        assertEquals(true, DeviceFilter.allows(p, CHAR, READ | WRITE, 1, 3));
        assertEquals(false, DeviceFilter.allows(p, CHAR, READ, 8, 0));
        assertEquals(true, DeviceFilter.allows(p, BLOCK, MKNOD, 8, 0));
        assertEquals(false, DeviceFilter.allows(p, BLOCK, READ, 8, 0));
    }

    @Test
    void aPartialAllowAndABlacklistAgreeWithV1() {
        agreesWithV1(new DeviceRules.Result(false, List.of(new Rule(true, 'c', 1, 3, READ | MKNOD),
                new Rule(true, 'c', 5, ANY, WRITE), new Rule(true, 'b', ANY, ANY, MKNOD))));
        agreesWithV1(new DeviceRules.Result(true, List.of(new Rule(false, 'c', 1, 3, WRITE),
                new Rule(false, 'b', 8, ANY, ALL))));
        agreesWithV1(new DeviceRules.Result(true, List.of()));
        agreesWithV1(new DeviceRules.Result(false, List.of()));
    }

    @Test
    void theBytecodeIsEightBytesAnInstructionLittleEndian() {
        DeviceRules.Result r = new DeviceRules.Result(false, List.of(new Rule(true, 'c', 1, 3, ALL)));
        List<DeviceFilter.Insn> insns = DeviceFilter.assemble(r);
        byte[] code = DeviceFilter.compile(r);
        assertEquals(insns.size() * 8, code.length);
        // The first instruction: r2 = *(u32 *)(r1 + 0), opcode 0x61, dst 2, src 1.
        assertEquals(0x61, code[0] & 0xff);
        assertEquals(0x12, code[1] & 0xff);
        // The last: exit.
        assertEquals(0x95, code[code.length - 8] & 0xff);
    }
}
