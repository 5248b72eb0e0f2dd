package jrun.linux.cgroups;

import jrun.base.JrunException;

/**
 * runc's (1.1) conversions from the runtime-spec's cgroup v1 units to cgroup v2 files, so that a
 * config gives the same limits under jrun as under runc.
 */
public final class Conversions {
    private Conversions() {}

    /**
     * cpu.shares (2..262144, default 1024) to cpu.weight (1..10000, default 100), linearly:
     * 2 maps to 1 and 262144 to 10000. 0 (unset) stays 0.
     */
    public static long sharesToWeight(long shares) {
        if (shares == 0) {
            return 0;
        }
        return 1 + ((shares - 2) * 9999) / 262142;
    }

    /** blkio.weight (10..1000) to io.weight (1..10000), linearly; 0 (unset) stays 0. */
    public static long blkioToIoWeight(long weight) {
        if (weight == 0) {
            return 0;
        }
        return 1 + (weight - 10) * 9999 / 990;
    }

    /**
     * The spec's {@code swap} is memory plus swap (v1's memsw); v2's memory.swap.max is swap
     * alone. Returns -1 for "max", 0 for "leave alone" (both as given), else swap - memory.
     * Unlimited memory with swap unset means unlimited swap, as on v1.
     */
    public static long swapToV2(long swap, long memory, String pointer) {
        if (memory == -1 && swap == 0) {
            return -1;
        }
        if (swap == -1 || swap == 0) {
            return swap;
        }
        if (memory == 0 || memory == -1) {
            throw new JrunException(pointer + ": a swap limit needs a memory limit (memory.limit)");
        }
        if (swap < memory) {
            throw new JrunException(pointer + ": memory+swap (" + swap + ") must be at least the memory limit ("
                    + memory + ")");
        }
        return swap - memory;
    }
}
