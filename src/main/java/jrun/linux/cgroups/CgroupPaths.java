package jrun.linux.cgroups;

import jrun.base.JrunException;

/**
 * Where a container's cgroup goes inside every hierarchy, from {@code linux.cgroupsPath}:
 * <ul>
 * <li>absolute ({@code /libpod_parent/libpod-ID}, as podman and containerd give it): that path
 *     from the hierarchy's root;
 * <li>relative ({@code a/b}): under jrun's own parent, {@code /jrun/a/b} (runc goes below its
 *     own cgroup instead, which ties the container to whatever cgroup its caller happened to
 *     run in);
 * <li>empty or absent: {@code /jrun/<id>}.
 * </ul>
 * systemd's {@code slice:prefix:name} form needs the systemd driver, which jrun lacks: it is
 * refused rather than taken as a strange relative path.
 */
public final class CgroupPaths {
    public static final String DEFAULT_PARENT = "/jrun";

    private CgroupPaths() {}

    /**
     * The cgroup's path inside each hierarchy, absolute and normalized ({@code /jrun/c1}).
     *
     * @param where how errors name the field, e.g. {@code config.json: /linux/cgroupsPath}
     */
    public static String resolve(String cgroupsPath, String id, String where) {
        return resolve(cgroupsPath, id, where, DEFAULT_PARENT);
    }

    /**
     * As {@link #resolve(String, String, String)}, with relative and absent paths below
     * {@code parent} ({@code ""} for the root) instead of {@code /jrun}: a rootless container's
     * go below jrun's own cgroup.
     */
    public static String resolve(String cgroupsPath, String id, String where, String parent) {
        String path = cgroupsPath == null ? "" : cgroupsPath;
        if (isSystemdForm(path)) {
            throw new JrunException(where + ": \"" + path + "\" is systemd's slice:prefix:name form, which needs "
                    + "the systemd cgroup driver (--systemd-cgroup); jrun manages cgroups itself: give a path such "
                    + "as /machine/" + id);
        }
        if (path.isEmpty()) {
            return parent + "/" + id;
        }
        StringBuilder out = new StringBuilder();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new JrunException(where + ": \"" + path + "\" must not contain .. (it would leave the cgroup hierarchy)");
            }
            out.append('/').append(part);
        }
        if (out.isEmpty()) {
            throw new JrunException(where + ": \"" + path + "\" is the root of the hierarchy; a container needs a cgroup of its own");
        }
        return path.startsWith("/") ? out.toString() : parent + out;
    }

    /** {@code system.slice:docker:abc}: three colon-separated parts and no slash. */
    static boolean isSystemdForm(String path) {
        return !path.contains("/") && path.chars().filter(c -> c == ':').count() == 2;
    }
}
