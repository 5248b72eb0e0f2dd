package jrun.linux.cgroups;

import java.util.BitSet;

/** The kernel's list format for CPUs and memory nodes: {@code 0-3,8,10-11}. */
public final class CpuList {
    private static final int MAX_ID = 1 << 16;

    private CpuList() {}

    /** Parses a list; throws {@link IllegalArgumentException} saying what is wrong. */
    public static BitSet parse(String list) {
        BitSet set = new BitSet();
        String trimmed = list.strip();
        if (trimmed.isEmpty()) {
            return set;
        }
        for (String part : trimmed.split(",")) {
            int dash = part.indexOf('-');
            int from = id(dash < 0 ? part : part.substring(0, dash), list);
            int to = dash < 0 ? from : id(part.substring(dash + 1), list);
            if (to < from) {
                throw new IllegalArgumentException("\"" + part + "\" is a descending range");
            }
            set.set(from, to + 1);
        }
        return set;
    }

    /** The compact form: {@code 0-3,8}. */
    public static String format(BitSet set) {
        StringBuilder b = new StringBuilder();
        for (int i = set.nextSetBit(0); i >= 0; ) {
            int end = set.nextClearBit(i) - 1;
            if (!b.isEmpty()) {
                b.append(',');
            }
            b.append(i);
            if (end > i) {
                b.append('-').append(end);
            }
            i = set.nextSetBit(end + 1);
        }
        return b.toString();
    }

    private static int id(String s, String list) {
        String t = s.strip();
        if (t.isEmpty() || !t.chars().allMatch(Character::isDigit) || t.length() > 6) {
            throw new IllegalArgumentException("\"" + list + "\" is not a list such as 0-3,5");
        }
        int n = Integer.parseInt(t);
        if (n >= MAX_ID) {
            throw new IllegalArgumentException("\"" + list + "\" names " + n + ", beyond any machine");
        }
        return n;
    }
}
