package jrun.linux.cgroups;

/**
 * How a host mounts its cgroups: one unified hierarchy at /sys/fs/cgroup (v2), one hierarchy per
 * controller (v1), or v1 controllers plus a unified hierarchy that holds no controllers (hybrid,
 * e.g. /sys/fs/cgroup/unified): jrun treats hybrid as v1 and also places the container in the
 * unified hierarchy, where {@code cgroup.kill} works.
 */
public enum CgroupMode {
    V2, V1, HYBRID
}
