package jrun.linux.cgroups;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jrun.base.JrunException;
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
