package jrun.it;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jrun.linux.Capabilities;

/** Reading /proc/PID/status as the ITs check it: its fields, and capability sets as it prints them. */
public final class ProcStatus {
    private ProcStatus() {}

    /** The "Name:\tvalue" lines of a status file, by name, values stripped. */
    public static Map<String, String> fields(String text) {
        Map<String, String> fields = new TreeMap<>();
        for (String line : text.lines().toList()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        return fields;
    }

    /** A capability set as the status file's Cap* lines print it: 16 hex digits. */
    public static String capMask(List<String> names) {
        long mask = 0;
        for (String n : names) {
            mask |= 1L << Capabilities.number(n);
        }
        return String.format("%016x", mask);
    }
}
