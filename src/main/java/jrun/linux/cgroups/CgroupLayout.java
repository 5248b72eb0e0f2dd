package jrun.linux.cgroups;

import java.nio.file.Path;
import java.util.List;

/**
 * The host's cgroup filesystems: on pure v2 one cgroup2 at /sys/fs/cgroup; on v1 and hybrid
 * hosts one hierarchy per controller set, named by its directory, plus (hybrid) the unified
 * one.
 */
public record CgroupLayout(boolean unifiedOnly, List<V1Hierarchy> v1, String unifiedDir) {
    public record V1Hierarchy(String dir, List<String> options) {}

    /** The host's, read once per process: planning and the cgroup manager both ask. */
    public static CgroupLayout detect() {
        return Host.LAYOUT;
    }

    private static final class Host {
        static final CgroupLayout LAYOUT = CgroupMounts.fromMountInfo(Path.of("/proc/self/mountinfo"));
    }
}
