package jrun.linux;

import java.util.List;
import java.util.Map;

/**
 * The parameters the kernel's own filesystems take (their fs_parameter_spec tables), so that an
 * option that is neither one of jrun's mount options nor a parameter of the mount's filesystem
 * is refused while planning, naming its field, instead of as EINVAL from fsconfig in the middle
 * of the container's set-up. Filesystems not listed here (ext4, overlay's many versions, nfs,
 * fuse, ...) get their data unchecked: the kernel is the judge, and its error still names the
 * mount.
 */
public final class FilesystemParameters {
    private static final Map<String, List<String>> KNOWN = Map.of(
            "tmpfs", List.of("size", "nr_blocks", "nr_inodes", "mode", "uid", "gid", "huge", "mpol", "inode32",
                    "inode64", "noswap", "quota", "usrquota", "grpquota", "usrquota_block_hardlimit",
                    "usrquota_inode_hardlimit", "grpquota_block_hardlimit", "grpquota_inode_hardlimit",
                    "casefold", "strict_encoding", "context", "fscontext", "defcontext", "rootcontext"),
            "proc", List.of("hidepid", "gid", "subset"),
            "devpts", List.of("uid", "gid", "mode", "ptmxmode", "newinstance", "max", "context", "fscontext",
                    "defcontext", "rootcontext"),
            "sysfs", List.of(),
            "mqueue", List.of("context", "fscontext", "defcontext", "rootcontext"),
            "ramfs", List.of("mode"),
            "cgroup2", List.of("nsdelegate", "favordynmods", "memory_localevents", "memory_recursiveprot",
                    "memory_hugetlb_accounting", "pids_localevents"));

    private FilesystemParameters() {}

    /**
     * Whether {@code option} ({@code key} or {@code key=value}) may be passed to a new
     * {@code type} filesystem: true for a known key, and for any option of a type not listed.
     */
    public static boolean accepts(String type, String option) {
        List<String> keys = KNOWN.get(type);
        if (keys == null) {
            return true;
        }
        int eq = option.indexOf('=');
        return keys.contains(eq < 0 ? option : option.substring(0, eq));
    }

    /** The parameters of {@code type}, or null when jrun leaves them to the kernel. */
    public static List<String> of(String type) {
        return KNOWN.get(type);
    }
}
