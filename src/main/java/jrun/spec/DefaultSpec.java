package jrun.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import jrun.base.Version;
import jrun.sys.Identity;

/**
 * The example configuration that {@code jrun spec} writes: the same as {@code runc spec}
 * (runc 1.1.5), field for field, except that {@code ociVersion} is the version jrun implements.
 * runc only checks the major version, so it runs these configs too.
 */
public final class DefaultSpec {
    private static final List<String> CAPS = List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
    private static final List<String> NOSUID_NOEXEC_NODEV = List.of("nosuid", "noexec", "nodev");

    private DefaultSpec() {}

    /**
     * @param rootless as {@code runc spec --rootless}: a user namespace mapping root to the
     *                 caller's effective uid and gid, no network namespace, /sys bind-mounted and
     *                 no cgroup resources
     */
    public static Spec create(boolean rootless) {
        if (!rootless) {
            return create(false, 0, 0);
        }
        Identity me = Identity.current();
        return create(true, me.uid(), me.gid());
    }

    static Spec create(boolean rootless, long hostUid, long hostGid) {
        ProcessSpec process = new ProcessSpec(true, null, new ProcessSpec.User(0, 0), List.of("sh"), null,
                List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"), "/",
                new ProcessSpec.Capabilities(CAPS, CAPS, List.of(), CAPS, CAPS, Map.of()),
                List.of(new ProcessSpec.Rlimit("RLIMIT_NOFILE", 1024, 1024)), true, null, null, null, null, null, null,
                Map.of());
        return new Spec(Version.SPEC_VERSION, process, new Root("rootfs", true), "runc", null, mounts(rootless),
                null, Map.of(), linux(rootless, hostUid, hostGid), Map.of());
    }

    private static List<Mount> mounts(boolean rootless) {
        List<String> devpts = new ArrayList<>(List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"));
        if (!rootless) {
            // Group 5 (tty) is not mapped in a rootless user namespace, so devpts would refuse it.
            devpts.add("gid=5");
        }
        // A rootless container may not mount a fresh sysfs (it has no network namespace of its own).
        Mount sys = rootless
                ? new Mount("/sys", "none", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", "ro"))
                : new Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro"));
        return List.of(
                new Mount("/proc", "proc", "proc", List.of()),
                new Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new Mount("/dev/pts", "devpts", "devpts", devpts),
                new Mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
                new Mount("/dev/mqueue", "mqueue", "mqueue", NOSUID_NOEXEC_NODEV),
                sys,
                new Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro")));
    }

    private static Linux linux(boolean rootless, long hostUid, long hostGid) {
        List<IdMapping> uids = rootless ? List.of(new IdMapping(0, hostUid, 1)) : List.of();
        List<IdMapping> gids = rootless ? List.of(new IdMapping(0, hostGid, 1)) : List.of();
        Resources resources = rootless ? null : new Resources(
                List.of(new Resources.DeviceRule(false, null, null, null, "rwm", Map.of())),
                null, null, null, null, List.of(), null, Map.of(), Map.of(), Map.of());
        List<Linux.Namespace> namespaces = rootless
                ? namespaces("pid", "ipc", "uts", "mount", "user")
                : namespaces("pid", "network", "ipc", "uts", "mount");
        List<String> masked = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
                "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
                "/proc/scsi");
        List<String> readonly = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
        return new Linux(uids, gids, Map.of(), resources, null, namespaces, List.of(), Map.of(), null, null,
                masked, readonly, null, null, null, null, Map.of(), Map.of());
    }

    private static List<Linux.Namespace> namespaces(String... types) {
        return Arrays.stream(types).map(Linux.Namespace::new).toList();
    }
}
