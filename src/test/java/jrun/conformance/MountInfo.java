package jrun.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One line of /proc/PID/mountinfo as the container printed it: the per-mount options (VFS flags),
 * the optional fields (propagation: shared:N, master:N, unbindable), the file system type and
 * its super-block options.
 */
record MountInfo(String root, String mountPoint, List<String> mountOptions, List<String> optionalFields,
        String fsType, List<String> superOptions) {

    static List<MountInfo> parse(String text) {
        List<MountInfo> out = new ArrayList<>();
        for (String line : text.lines().toList()) {
            String[] f = line.split(" ");
            int dash = Arrays.asList(f).indexOf("-");
            if (f.length < 10 || dash < 6) {
                continue;
            }
            out.add(new MountInfo(f[3], f[4], List.of(f[5].split(",")), List.of(f).subList(6, dash), f[dash + 1],
                    List.of(f[dash + 3].split(","))));
        }
        return out;
    }

    /** The mount on top at {@code mountPoint} (the last listed there). */
    static MountInfo top(String text, String mountPoint) {
        MountInfo found = null;
        for (MountInfo m : parse(text)) {
            if (m.mountPoint().equals(mountPoint)) {
                found = m;
            }
        }
        if (found == null) {
            throw new AssertionError("nothing mounted at " + mountPoint + ":\n" + text);
        }
        return found;
    }

    boolean hasOption(String option) {
        return mountOptions.contains(option) || superOptions.contains(option);
    }

    /** The propagation as the optional fields tell it: shared, slave, shared+slave, unbindable or private. */
    String propagation() {
        boolean shared = optionalFields.stream().anyMatch(o -> o.startsWith("shared:"));
        boolean slave = optionalFields.stream().anyMatch(o -> o.startsWith("master:"));
        if (optionalFields.contains("unbindable")) {
            return "unbindable";
        }
        return shared && slave ? "shared+slave" : shared ? "shared" : slave ? "slave" : "private";
    }
}
