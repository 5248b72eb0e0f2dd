package jrun.state;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What jrun keeps about one container in {@code <root>/<id>/state.json}.
 *
 * <p>The first fields are the runtime-spec's state (what {@code jrun state} prints, in runc's
 * shape); the rest are jrun's own, needed by later commands:
 * <ul>
 * <li>{@code pidStartTime}: field 22 of {@code /proc/<pid>/stat} when the process was created,
 *     so that a recycled pid is never mistaken for the container's process;
 * <li>{@code cgroupsPath} as the config gave it, and {@code cgroupPaths}, the resolved
 *     directory of each controller (v1) or of {@code "unified"} (v2);
 * <li>{@code namespacePaths}: namespace type to {@code /proc/<pid>/ns/<x>}, for {@code exec};
 * <li>whether the container has its own user and pid namespaces, and whether it is rootless;
 * <li>{@code extra}: string fields added by later parts of jrun without a format change.
 * </ul>
 * {@code status} is the status last saved; the live one comes from {@link StatusProbe}.
 * Maps are never null, are immutable and iterate in key order, so the file is stable.
 */
public record ContainerState(
        String ociVersion,
        String id,
        ContainerStatus status,
        int pid,
        long pidStartTime,
        String bundle,
        String rootfs,
        Instant created,
        Map<String, String> annotations,
        String cgroupsPath,
        Map<String, String> cgroupPaths,
        Map<String, String> namespacePaths,
        boolean userNamespace,
        boolean pidNamespace,
        boolean rootless,
        Map<String, String> extra) {

    public ContainerState {
        ContainerId.validate(id);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(created, "created");
        ociVersion = ociVersion == null ? "" : ociVersion;
        bundle = bundle == null ? "" : bundle;
        rootfs = rootfs == null ? "" : rootfs;
        cgroupsPath = cgroupsPath == null ? "" : cgroupsPath;
        annotations = sortedCopy(annotations);
        cgroupPaths = sortedCopy(cgroupPaths);
        namespacePaths = sortedCopy(namespacePaths);
        extra = sortedCopy(extra);
    }

    /** The state a {@code create} starts from: no process yet, created now. */
    public static ContainerState creating(String ociVersion, String id, String bundle, String rootfs,
                                          Map<String, String> annotations) {
        return new ContainerState(ociVersion, id, ContainerStatus.CREATING, 0, 0, bundle, rootfs, Instant.now(),
                annotations, "", Map.of(), Map.of(), false, false, false, Map.of());
    }

    public ContainerState withStatus(ContainerStatus newStatus) {
        return new ContainerState(ociVersion, id, newStatus, pid, pidStartTime, bundle, rootfs, created,
                annotations, cgroupsPath, cgroupPaths, namespacePaths, userNamespace, pidNamespace, rootless, extra);
    }

    /** The container's init process: its pid and its start time from {@link ProcStat}. */
    public ContainerState withProcess(int newPid, long newPidStartTime) {
        return new ContainerState(ociVersion, id, status, newPid, newPidStartTime, bundle, rootfs, created,
                annotations, cgroupsPath, cgroupPaths, namespacePaths, userNamespace, pidNamespace, rootless, extra);
    }

    public ContainerState withCgroups(String newCgroupsPath, Map<String, String> newCgroupPaths) {
        return new ContainerState(ociVersion, id, status, pid, pidStartTime, bundle, rootfs, created,
                annotations, newCgroupsPath, newCgroupPaths, namespacePaths, userNamespace, pidNamespace, rootless, extra);
    }

    public ContainerState withNamespaces(Map<String, String> newNamespacePaths, boolean newUserNamespace,
                                         boolean newPidNamespace) {
        return new ContainerState(ociVersion, id, status, pid, pidStartTime, bundle, rootfs, created,
                annotations, cgroupsPath, cgroupPaths, newNamespacePaths, newUserNamespace, newPidNamespace, rootless, extra);
    }

    public ContainerState withRootless(boolean newRootless) {
        return new ContainerState(ociVersion, id, status, pid, pidStartTime, bundle, rootfs, created,
                annotations, cgroupsPath, cgroupPaths, namespacePaths, userNamespace, pidNamespace, newRootless, extra);
    }

    /** Sets ({@code value} non-null) or removes ({@code value} null) one extra field. */
    public ContainerState withExtra(String key, String value) {
        Map<String, String> next = new TreeMap<>(extra);
        if (value == null) {
            next.remove(key);
        } else {
            next.put(key, value);
        }
        return new ContainerState(ociVersion, id, status, pid, pidStartTime, bundle, rootfs, created,
                annotations, cgroupsPath, cgroupPaths, namespacePaths, userNamespace, pidNamespace, rootless, next);
    }

    private static Map<String, String> sortedCopy(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        TreeMap<String, String> copy = new TreeMap<>();
        map.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "map key"), Objects.requireNonNull(v, "map value")));
        return Collections.unmodifiableMap(copy);
    }
}
