package jrun.linux;

import java.util.List;

/**
 * Everything the container's init must do, decided up front from the config and the host:
 * which namespaces, which mounts in which order and with which flags, which devices, and the
 * process to exec. Pure data: {@link ContainerPlanner} makes it without touching the system,
 * so it is unit tested without root; {@code jrun.process} turns it into system calls.
 *
 * @param cloneFlags namespaces to create (CLONE_NEW*)
 * @param joins namespaces to enter by path, in the order to enter them
 * @param rootfs absolute host path of the root filesystem
 * @param rootPropagation the propagation config.json's rootfsPropagation asks for the root
 *                        (MS_SHARED, MS_SLAVE, MS_PRIVATE or MS_UNBINDABLE, with MS_REC for
 *                        the whole tree), rslave without one
 * @param devices device nodes to create after the mounts
 * @param ptmxSymlink whether /dev/ptmx should point to the container's devpts instance
 * @param pivotRoot pivot_root into the rootfs (false: {@code --no-pivot}, move + chroot)
 * @param personality the personality(2) value, or null to leave it
 * @param timeOffsets what to write to /proc/self/timens_offsets for a new time namespace, or null
 * @param sessionKeyring the name of a new session keyring to join (runc's default, named after
 *                       the container), or null with {@code --no-new-keyring}
 * @param netDevices host network interfaces to move into the container's network namespace
 */
public record ContainerPlan(long cloneFlags, List<NamespaceJoin> joins, String rootfs, boolean readonlyRoot,
                            long rootPropagation, List<MountStep> mounts, List<DeviceNode> devices,
                            boolean ptmxSymlink, boolean pivotRoot, List<String> maskedPaths,
                            List<String> readonlyPaths, String hostname, String domainname,
                            List<SysctlWrite> sysctls, ProcessPlan process, Long personality,
                            String timeOffsets, String sessionKeyring, List<NetDevice> netDevices) {

    /** A namespace entered with setns: {@code path} is e.g. {@code /var/run/netns/x}. */
    public record NamespaceJoin(NamespaceKind kind, String path, String pointer) {}

    public record SysctlWrite(String key, String procPath, String value, String pointer) {}

    /**
     * A host interface to move into the container's network namespace.
     *
     * @param containerName its name there: the host's when the config gives none; may end in a
     *                      {@code %d} template the kernel fills in
     */
    public record NetDevice(String hostName, String containerName, String pointer) {
        /** Whether the kernel picks the name's number, so that it is not known until the move. */
        public boolean templated() {
            return containerName.contains("%");
        }
    }

    /** The same plan with a new session keyring of that name, or none when null. */
    public ContainerPlan withSessionKeyring(String name) {
        return new ContainerPlan(cloneFlags, joins, rootfs, readonlyRoot, rootPropagation, mounts, devices, ptmxSymlink,
                pivotRoot, maskedPaths, readonlyPaths, hostname, domainname, sysctls, process, personality, timeOffsets,
                name, netDevices);
    }

    /** The namespace joined by path for {@code kind}, or null. */
    public NamespaceJoin join(NamespaceKind kind) {
        for (NamespaceJoin j : joins) {
            if (j.kind() == kind) {
                return j;
            }
        }
        return null;
    }

    public boolean creates(NamespaceKind kind) {
        return (cloneFlags & kind.cloneFlag()) != 0;
    }

    /**
     * Whether the container has a mount namespace of its own (new or joined); without one its
     * rootfs is set up in the runtime's and chrooted into.
     */
    public boolean ownMountNamespace() {
        return creates(NamespaceKind.MOUNT) || join(NamespaceKind.MOUNT) != null;
    }
}
