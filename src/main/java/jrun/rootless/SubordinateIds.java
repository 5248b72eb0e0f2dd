package jrun.rootless;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host ids a user may map into a user namespace: its own id, alone, and its ranges in
 * /etc/subuid or /etc/subgid ("name-or-uid:first:count" lines). This is what newuidmap and
 * newgidmap allow (shadow's verify_range: a range inside one subordinate range, or the caller's
 * own id with a count of 1), so a config asking for more is refused before anything exists.
 *
 * @param own the user's own uid (or gid)
 * @param ranges the subordinate ranges, each {first, count}
 */
public record SubordinateIds(long own, List<long[]> ranges) {
    public static final Path SUBUID = Path.of("/etc/subuid");
    public static final Path SUBGID = Path.of("/etc/subgid");

    public SubordinateIds {
        ranges = List.copyOf(ranges);
    }

    /** The ranges of the user {@code uid} (known as {@code name}, may be null) in {@code file}. */
    public static SubordinateIds read(Path file, long own, long uid, String name) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            text = "";
        }
        return parse(text, own, uid, name);
    }

    static SubordinateIds parse(String text, long own, long uid, String name) {
        List<long[]> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split(":");
            if (f.length != 3 || !(f[0].equals(name) || f[0].equals(Long.toString(uid)))) {
                continue;
            }
            try {
                out.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            } catch (NumberFormatException e) {
                // a malformed line grants nothing, as for newuidmap
            }
        }
        return new SubordinateIds(own, out);
    }

    /** Whether host ids {@code first} to {@code first + count - 1} may be mapped. */
    public boolean allows(long first, long count) {
        if (count == 1 && first == own) {
            return true;
        }
        for (long[] r : ranges) {
            if (count > 0 && first >= r[0] && first + count <= r[0] + r[1]) {
                return true;
            }
        }
        return false;
    }

    /** For errors: "its own id 1001 and 200000-265535 in /etc/subuid". */
    public String describe(Path file) {
        StringBuilder b = new StringBuilder("its own id ").append(own);
        if (ranges.isEmpty()) {
            return b.append(" (it has no range in ").append(file).append(')').toString();
        }
        b.append(" and ");
        for (int i = 0; i < ranges.size(); i++) {
            long[] r = ranges.get(i);
            b.append(i == 0 ? "" : ", ").append(r[0]).append('-').append(r[0] + r[1] - 1);
        }
        return b.append(" in ").append(file).toString();
    }

    /** The user's name in /etc/passwd, or null. */
    public static String userName(long uid) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8)) {
                String[] f = line.split(":");
                if (f.length > 2 && f[2].equals(Long.toString(uid))) {
                    return f[0];
                }
            }
        } catch (IOException e) {
            // no name: the numeric form still matches
        }
        return null;
    }
}
