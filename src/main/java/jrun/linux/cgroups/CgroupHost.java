package jrun.linux.cgroups;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jrun.base.JrunException;
import jrun.sys.ProcFiles;

/**
 * The host's cgroup hierarchies, from its mount table.
 *
 * @param unified the cgroup2 mount: /sys/fs/cgroup on v2, e.g. /sys/fs/cgroup/unified on a hybrid
 *                host, null on pure v1
 * @param hierarchies the v1 hierarchies (empty on v2)
 */
public record CgroupHost(CgroupMode mode, Path unified, List<Hierarchy> hierarchies) {
    static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    /**
     * One v1 hierarchy: its mount point and the controllers mounted there ({@code cpu},
     * {@code cpuacct}, ... or a named hierarchy such as {@code name=systemd}).
     */
    public record Hierarchy(Path mount, List<String> controllers) {
        public Hierarchy {
            controllers = List.copyOf(controllers);
        }
    }

    public CgroupHost {
        hierarchies = List.copyOf(hierarchies);
    }

    /** The running host; refuses a host without any cgroup file system. */
    public static CgroupHost detect() {
        return from(CgroupLayout.detect(), knownControllers());
    }

    /**
     * Builds the host from its mount layout; mount options that are neither a controller the
     * kernel knows ({@code /proc/cgroups}) nor a {@code name=} are mount flags, not controllers.
     */
    static CgroupHost from(CgroupLayout layout, Set<String> known) {
        if (layout.unifiedOnly()) {
            return new CgroupHost(CgroupMode.V2, CGROUP_ROOT, List.of());
        }
        List<Hierarchy> hierarchies = new ArrayList<>();
        for (CgroupLayout.V1Hierarchy h : layout.v1()) {
            List<String> controllers = new ArrayList<>();
            for (String option : h.options()) {
                if (known.contains(option) || option.startsWith("name=")) {
                    controllers.add(option);
                }
            }
            if (!controllers.isEmpty()) {
                hierarchies.add(new Hierarchy(CGROUP_ROOT.resolve(h.dir()), controllers));
            }
        }
        Path unified = layout.unifiedDir() == null ? null : CGROUP_ROOT.resolve(layout.unifiedDir());
        if (hierarchies.isEmpty()) {
            if (unified == null) {
                throw new JrunException("no cgroup file system is mounted under " + CGROUP_ROOT
                        + " (see /proc/self/mountinfo): jrun cannot limit the container's resources");
            }
            return new CgroupHost(CgroupMode.V2, unified, List.of());
        }
        return new CgroupHost(unified == null ? CgroupMode.V1 : CgroupMode.HYBRID, unified, hierarchies);
    }

    /** The mount point of the v1 hierarchy holding {@code controller}; null when not mounted. */
    public Path mountOf(String controller) {
        for (Hierarchy h : hierarchies) {
            if (h.controllers().contains(controller)) {
                return h.mount();
            }
        }
        return null;
    }

    /** The v1 controllers the kernel knows: the first column of /proc/cgroups. */
    private static Set<String> knownControllers() {
        Set<String> known = new LinkedHashSet<>();
        try {
            for (String line : ProcFiles.read(Path.of("/proc/cgroups")).split("\n")) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    known.add(line.split("\\s+")[0]);
                }
            }
        } catch (IOException e) {
            // a kernel without /proc/cgroups has no v1 controllers worth knowing
        }
        return known;
    }
}
