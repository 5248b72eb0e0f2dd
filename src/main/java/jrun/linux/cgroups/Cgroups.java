package jrun.linux.cgroups;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jrun.base.JrunException;
import jrun.json.JsonValue;
import jrun.spec.Resources;

/** Where a jrun command gets its {@link CgroupManager}. */
public final class Cgroups {
    /** How errors name a config's resources. */
    public static final String CONFIG_RESOURCES = "config.json: /linux/resources";

    private Cgroups() {}

    /**
     * A new container's cgroup, checked but not created yet: the resources are refused here
     * (each problem naming its field) before anything exists that would have to be undone.
     */
    public record Prepared(CgroupManager manager, Resources resources, DeviceRules.Result devices) {
        /** Creates the cgroup and applies the limits; see {@link CgroupManager#create}. */
        public void create() {
            manager.create(resources, devices, CONFIG_RESOURCES);
        }
    }

    /**
     * Checks {@code resources} against the host and resolves {@code cgroupsPath} (see
     * {@link CgroupPaths}) in every hierarchy.
     */
    public static Prepared prepare(Resources resources, String cgroupsPath, String id) {
        CgroupHost host = CgroupHost.detect();
        return prepare(resources, cgroupsPath, id, host, CgroupFacts.of(host));
    }

    static Prepared prepare(Resources resources, String cgroupsPath, String id, CgroupHost host, CgroupFacts facts) {
        String path = CgroupPaths.resolve(cgroupsPath, id, "config.json: /linux/cgroupsPath");
        ResourceCheck.check(resources, facts, CONFIG_RESOURCES);
        DeviceRules.Result devices;
        try {
            devices = DeviceRules.reduce(DeviceRules.withDefaults(resources == null ? List.of() : resources.devices()));
        } catch (JrunException e) {
            throw new JrunException(CONFIG_RESOURCES + "/devices: " + e.getMessage(), e);
        }
        return new Prepared(manager(host, path), resources, devices);
    }

    /**
     * A rootless container's cgroup (runc's rootless cgroup manager, see {@link RootlessCgroups}):
     * on cgroup v2 a relative or absent {@code cgroupsPath} goes below jrun's own cgroup, which
     * a delegated subtree makes the user's; an absolute one is taken as it is. No device filter.
     *
     * @param resourcesTree the config's {@code /linux/resources}, whose first limit names the
     *                      error when the user may not create the cgroup
     */
    public static Prepared prepareRootless(Resources resources, JsonValue resourcesTree, String cgroupsPath, String id) {
        CgroupHost host = CgroupHost.detect();
        String parent = CgroupPaths.DEFAULT_PARENT;
        if (host.mode() == CgroupMode.V2) {
            String own = RootlessCgroups.own().get("");
            parent = own == null || own.equals("/") ? "" : own;
        }
        String path = CgroupPaths.resolve(cgroupsPath, id, "config.json: /linux/cgroupsPath", parent);
        ResourceCheck.check(resources, CgroupFacts.of(host), CONFIG_RESOURCES);
        return new Prepared(RootlessCgroups.choose(manager(host, path), resourcesTree, CONFIG_RESOURCES), resources, null);
    }

    /**
     * jrun's own cgroup path in each hierarchy, keyed by the hierarchy's directory name under
     * /sys/fs/cgroup ({@code memory}, {@code cpu,cpuacct}, {@code systemd}, {@code unified}, and
     * {@code ""} on v2): where a container without a cgroup of its own is.
     */
    public static Map<String, String> ownPaths() {
        return RootlessCgroups.own();
    }

    /**
     * Where a rootless container's cgroup mounts bind from (see {@code ContainerPlanner#plan}):
     * jrun's own cgroups when it has none, its v2 directory when that is below jrun's own;
     * null when {@code cgroupsPath} names it in every hierarchy, as for root.
     */
    public static Map<String, String> mountSources(CgroupManager m) {
        if (m == NoCgroup.INSTANCE) {
            Map<String, String> out = new LinkedHashMap<>();
            RootlessCgroups.own().forEach((hierarchy, path) -> out.put(hierarchy,
                    CgroupHost.CGROUP_ROOT + (hierarchy.isEmpty() ? "" : "/" + hierarchy) + (path.equals("/") ? "" : path)));
            return out;
        }
        return m.mode() == CgroupMode.V2 ? Map.of("", m.paths().get("unified")) : null;
    }

    /** Whether the container goes without a cgroup of its own (rootless, none creatable). */
    public static boolean isNone(CgroupManager m) {
        return m == NoCgroup.INSTANCE;
    }

    static CgroupManager manager(CgroupHost host, String path) {
        String relative = path.substring(1);
        if (host.mode() == CgroupMode.V2) {
            return new CgroupV2(host.unified(), host.unified().resolve(relative));
        }
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (CgroupHost.Hierarchy h : host.hierarchies()) {
            for (String controller : h.controllers()) {
                dirs.put(controller, h.mount().resolve(relative));
            }
        }
        return new CgroupV1(dirs, host.unified() == null ? null : host.unified().resolve(relative));
    }

    /**
     * The cgroup of an existing container from the paths its state saved ({@link CgroupManager#paths});
     * empty when it has none (a container made before jrun managed cgroups).
     */
    public static Optional<CgroupManager> of(Map<String, String> paths) {
        if (paths == null || paths.isEmpty()) {
            return Optional.empty();
        }
        String unified = paths.get("unified");
        if (paths.size() == 1 && unified != null) {
            Path dir = Path.of(unified);
            return Optional.of(new CgroupV2(null, dir));
        }
        Map<String, Path> dirs = new LinkedHashMap<>();
        paths.forEach((k, v) -> {
            if (!k.equals("unified")) {
                dirs.put(k, Path.of(v));
            }
        });
        return Optional.of(new CgroupV1(dirs, unified == null ? null : Path.of(unified)));
    }
}
