package jrun.linux.cgroups;

/**
 * One value for one interface file of the container's cgroup. On v1 the file's prefix before
 * the first dot is its controller ({@code memory.limit_in_bytes}), which picks the hierarchy.
 *
 * @param pointer the config field it comes from, relative to {@code linux.resources}, e.g.
 *                {@code /memory/limit}
 * @param optional skip it when the file does not exist (runc: disabling swap on a host without
 *                 swap accounting is not an error)
 */
public record CgroupWrite(String file, String value, String pointer, boolean optional) {
    public CgroupWrite(String file, String value, String pointer) {
        this(file, value, pointer, false);
    }

    /** The controller the file belongs to. */
    public String controller() {
        int dot = file.indexOf('.');
        return dot < 0 ? file : file.substring(0, dot);
    }
}
