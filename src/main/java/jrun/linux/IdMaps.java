package jrun.linux;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jrun.base.JrunException;
import jrun.sys.ProcFiles;

/**
 * A process's user namespace id maps (/proc/PID/uid_map and gid_map), for jrun to act on a
 * container's files with the ids the container sees.
 */
public record IdMaps(List<Range> uids, List<Range> gids) {
    /** What the kernel shows for an id its namespace does not map (kernel.overflowuid's default). */
    static final long OVERFLOW_ID = 65534;

    /** {@code count} ids from {@code inside} in the namespace are {@code outside} and on in its parent. */
    public record Range(long inside, long outside, long count) {}

    public IdMaps {
        uids = List.copyOf(uids);
        gids = List.copyOf(gids);
    }

    public static IdMaps of(int pid) {
        Path proc = Path.of("/proc", Integer.toString(pid));
        try {
            return new IdMaps(parse(ProcFiles.read(proc.resolve("uid_map"))), parse(ProcFiles.read(proc.resolve("gid_map"))));
        } catch (IOException e) {
            throw new JrunException("cannot read the id maps of process " + pid + ": " + e.getMessage(), e);
        }
    }

    static List<Range> parse(String map) {
        List<Range> out = new ArrayList<>();
        for (String line : map.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3) {
                out.add(new Range(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])));
            }
        }
        return out;
    }

    /** The initial user namespace's maps: every id is itself. */
    public boolean identity() {
        return isIdentity(uids) && isIdentity(gids);
    }

    private static boolean isIdentity(List<Range> ranges) {
        return ranges.size() == 1 && ranges.get(0).inside() == 0 && ranges.get(0).outside() == 0
                && ranges.get(0).count() == 4294967295L;
    }

    public long uidOutside(long inside) {
        return outside(uids, inside);
    }

    public long gidOutside(long inside) {
        return outside(gids, inside);
    }

    /**
     * The owner to give a copy of a file owned by host uid {@code hostUid}: itself when the
     * namespace maps it; else what the container sees for it, the overflow id (or its root
     * when that is not mapped either).
     */
    public long ownerUid(long hostUid) {
        return owner(uids, hostUid);
    }

    public long ownerGid(long hostGid) {
        return owner(gids, hostGid);
    }

    private static long owner(List<Range> ranges, long host) {
        for (Range r : ranges) {
            if (host >= r.outside() && host - r.outside() < r.count()) {
                return host;
            }
        }
        long overflow = outside(ranges, OVERFLOW_ID);
        return overflow >= 0 ? overflow : outside(ranges, 0);
    }

    /** The parent namespace's id for {@code inside}, or -1 when it is not mapped. */
    private static long outside(List<Range> ranges, long inside) {
        for (Range r : ranges) {
            if (inside >= r.inside() && inside - r.inside() < r.count()) {
                return r.outside() + inside - r.inside();
            }
        }
        return -1;
    }
}
