package jrun.linux.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import jrun.base.JrunException;
import jrun.json.JsonValue;
import jrun.sys.ProcFiles;

/**
 * runc's rootless cgroup manager: a cgroup is created only where the user may (a delegated
 * cgroup v2 subtree); where it may not, the container goes without one if the config asks for no
 * limits, and fails naming the first limit otherwise. Device rules never count: in a user
 * namespace the container cannot make device nodes it could use, and attaching the v2 device
 * filter needs privileges an ordinary user lacks (runc ignores device cgroup errors rootless).
 */
final class RootlessCgroups {
    private RootlessCgroups() {}

    /**
     * The cgroup the container gets: {@code wanted}, or {@link NoCgroup} when the user may not
     * create it and {@code resources} (the config's {@code /linux/resources} tree) sets no limit.
     */
    static CgroupManager choose(CgroupManager wanted, JsonValue resources, String where) {
        Path blocked = notWritable(wanted);
        if (blocked == null) {
            return wanted;
        }
        String limit = firstLimit(resources, "");
        if (limit == null) {
            return NoCgroup.INSTANCE;
        }
        throw new JrunException(where + limit + ": jrun runs rootless and cannot set this limit: it may not create "
                + "the container's cgroup under " + blocked + " (not writable by this user). Remove the limit, or "
                + "give /linux/cgroupsPath in a cgroup v2 subtree delegated to this user");
    }

    /** The first directory the user may not create the cgroup in (nearest existing ancestor), or null. */
    static Path notWritable(CgroupManager m) {
        for (String dir : m.paths().values()) {
            Path p = Path.of(dir);
            while (p != null && !Files.isDirectory(p)) {
                p = p.getParent();
            }
            if (p == null || !Files.isWritable(p)) {
                return p == null ? Path.of(dir) : p;
            }
        }
        return null;
    }

    /**
     * The JSON pointer (below {@code /linux/resources}) of the first limit {@code resources}
     * sets, depth first; null when there is none. {@code devices} is skipped, and so are
     * nulls, empty objects and empty arrays.
     */
    static String firstLimit(JsonValue resources, String pointer) {
        if (resources == null || resources.isMissingNode() || resources.isNull()) {
            return null;
        }
        if (resources.isObject()) {
            for (Map.Entry<String, JsonValue> e : resources.properties()) {
                if (pointer.isEmpty() && e.getKey().equals("devices")) {
                    continue;
                }
                String found = firstLimit(e.getValue(), pointer + "/" + e.getKey());
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (resources.isArray()) {
            for (int i = 0; i < resources.size(); i++) {
                String found = firstLimit(resources.get(i), pointer + "/" + i);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        return pointer;
    }

    /**
     * jrun's own cgroup in each hierarchy, from /proc/self/cgroup, keyed as the hierarchies'
     * directories under /sys/fs/cgroup are named: each controller ({@code memory}, {@code cpu}),
     * the joined name ({@code cpu,cpuacct}), {@code systemd} for {@code name=systemd}, and
     * {@code unified} and {@code ""} for the cgroup2 line.
     */
    static Map<String, String> own() {
        try {
            return parseOwn(ProcFiles.read(Path.of("/proc/self/cgroup")));
        } catch (IOException e) {
            throw new JrunException("cannot read jrun's own cgroups from /proc/self/cgroup: " + e.getMessage(), e);
        }
    }

    static Map<String, String> parseOwn(String procSelfCgroup) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : procSelfCgroup.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length != 3) {
                continue;
            }
            if (f[1].isEmpty()) {
                out.put("unified", f[2]);
                out.put("", f[2]);
                continue;
            }
            String joined = f[1].startsWith("name=") ? f[1].substring(5) : f[1];
            out.put(joined, f[2]);
            for (String c : joined.split(",")) {
                out.put(c, f[2]);
            }
        }
        return out;
    }
}
