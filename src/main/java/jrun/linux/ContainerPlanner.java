package jrun.linux;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jrun.base.JrunException;
import jrun.linux.cgroups.CgroupLayout;
import jrun.linux.cgroups.CgroupPaths;
import jrun.linux.lsm.LsmPlanner;
import jrun.spec.Linux;
import jrun.spec.Mount;
import jrun.spec.Spec;

/**
 * Turns a config into a {@link ContainerPlan}: runc's decisions (which devices by default, how
 * mount options split, where args[0] is looked for, which sysctls are allowed) without side
 * effects. Errors name config.json's field as a JSON pointer.
 */
public final class ContainerPlanner {
    /** The devices every container gets (runtime-spec "Default Devices"). */
    private static final List<DeviceNode> DEFAULT_DEVICES = List.of(
            new DeviceNode("/dev/null", 'c', 1, 3, 0666, 0, 0, false, "default device"),
            new DeviceNode("/dev/zero", 'c', 1, 5, 0666, 0, 0, false, "default device"),
            new DeviceNode("/dev/full", 'c', 1, 7, 0666, 0, 0, false, "default device"),
            new DeviceNode("/dev/random", 'c', 1, 8, 0666, 0, 0, false, "default device"),
            new DeviceNode("/dev/urandom", 'c', 1, 9, 0666, 0, 0, false, "default device"),
            new DeviceNode("/dev/tty", 'c', 5, 0, 0666, 0, 0, false, "default device"));

    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final HostFacts host;

    public ContainerPlanner(HostFacts host) {
        this.host = host;
    }

    public ContainerPlan plan(Spec spec, Path bundle, boolean noPivot) {
        return plan(spec, bundle, noPivot, "container");
    }

    /** @param id the container's id: where its cgroup is when cgroupsPath is empty */
    public ContainerPlan plan(Spec spec, Path bundle, boolean noPivot, String id) {
        return plan(spec, bundle, noPivot, id, null);
    }

    /**
     * @param cgroupDirs where a cgroup mount without a cgroup namespace binds from, keyed by the
     *                   hierarchy's directory under /sys/fs/cgroup ({@code memory}, {@code ""}
     *                   for the v2 mount); null, or a hierarchy missing, for the cgroup
     *                   {@code cgroupsPath} names (a rootless container's cgroup is elsewhere,
     *                   see {@code Cgroups#mountSources})
     */
    public ContainerPlan plan(Spec spec, Path bundle, boolean noPivot, String id, Map<String, String> cgroupDirs) {
        Linux linux = spec.linux();
        if (linux == null) {
            throw fieldError("/linux", "a Linux container needs the linux section");
        }
        long cloneFlags = 0;
        List<ContainerPlan.NamespaceJoin> joins = new ArrayList<>();
        for (int i = 0; i < linux.namespaces().size(); i++) {
            Linux.Namespace ns = linux.namespaces().get(i);
            NamespaceKind kind = NamespaceKind.fromSpec(ns.type());
            if (ns.path() == null || ns.path().isEmpty()) {
                cloneFlags |= kind.cloneFlag();
            } else {
                joins.add(new ContainerPlan.NamespaceJoin(kind, ns.path(), "/linux/namespaces/" + i + "/path"));
            }
        }
        joins.sort((a, b) -> a.kind().compareTo(b.kind()));
        boolean userNs = (cloneFlags & NamespaceKind.USER.cloneFlag()) != 0
                || joins.stream().anyMatch(j -> j.kind() == NamespaceKind.USER);
        boolean mountNs = (cloneFlags & NamespaceKind.MOUNT.cloneFlag()) != 0
                || joins.stream().anyMatch(j -> j.kind() == NamespaceKind.MOUNT);
        if (userNs && !mountNs) {
            // Without one, the rootfs is set up in the runtime's mount namespace, which belongs
            // to the runtime's user namespace: the container's root may not mount there (EPERM).
            throw fieldError("/linux/namespaces", "a user namespace needs a mount namespace of its own to set up the "
                    + "root filesystem in: add {\"type\": \"mount\"}");
        }

        String rootfs = bundle.resolve(spec.root().path()).normalize().toAbsolutePath().toString();
        if (!host.isDirectory(rootfs)) {
            throw fieldError("/root/path", "the root filesystem " + rootfs + " does not exist or is not a directory");
        }

        long propagation = rootPropagation(linux.rootfsPropagation());

        List<MountStep> mounts = new ArrayList<>();
        boolean hasCgroupNs = (cloneFlags & NamespaceKind.CGROUP.cloneFlag()) != 0;
        for (ContainerPlan.NamespaceJoin j : joins) {
            hasCgroupNs |= j.kind() == NamespaceKind.CGROUP;
        }
        boolean devPts = false;
        List<String> mountedSoFar = new ArrayList<>();
        boolean netNs = (cloneFlags & NamespaceKind.NETWORK.cloneFlag()) != 0
                || joins.stream().anyMatch(j -> j.kind() == NamespaceKind.NETWORK);
        for (int i = 0; i < spec.mounts().size(); i++) {
            Mount m = spec.mounts().get(i);
            if (userNs && !netNs && "sysfs".equals(m.type())) {
                m = sysfsAsBind(m);
            }
            String pointer = "/mounts/" + i;
            String dest = cleanPath(m.destination());
            if (dest.equals("/dev/pts")) {
                devPts = true;
            }
            planMount(m, dest, pointer, bundle, linux, mounts);
            keepImageDirectoryMode(mounts, rootfs, dest, mountedSoFar);
            mountedSoFar.add(dest);
            if (!hasCgroupNs && isCgroupMount(m)) {
                bindOwnCgroups(mounts, pointer, dest, CgroupPaths.resolve(linux.cgroupsPath(), id,
                        "config.json: /linux/cgroupsPath"), cgroupDirs, userNs);
            }
        }

        intelRdt(linux);
        List<DeviceNode> devices = devices(linux, userNs || host.runsInUserNamespace());
        List<ContainerPlan.SysctlWrite> sysctls = sysctls(linux, cloneFlags, joins);
        ProcessPlan process = spec.process() == null ? null
                : ProcessPlanner.plan(spec.process(), linux.memoryPolicy(),
                        () -> host.readRootfsFile(rootfs, "/etc/passwd"));
        return new ContainerPlan(cloneFlags, List.copyOf(joins), rootfs, spec.root().readonly(), propagation,
                labelMounts(List.copyOf(mounts), linux.mountLabel()), devices, devPts, !noPivot,
                List.copyOf(linux.maskedPaths()),
                List.copyOf(linux.readonlyPaths()), spec.hostname(), spec.domainname(), sysctls, process,
                personality(linux), timeOffsets(linux, cloneFlags), null, netDevices(linux, cloneFlags, joins));
    }

    private void planMount(Mount m, String dest, String pointer, Path bundle, Linux linux, List<MountStep> out) {
        MountOptionRules.Problem problem = MountOptionRules.check(pointer, m.type(), m.options(),
                !m.uidMappings().isEmpty() || !m.gidMappings().isEmpty());
        if (problem != null) {
            throw fieldError(problem.pointer(), problem.message());
        }
        MountOptions o = MountOptions.parse(m.options());
        String type = m.type() == null ? "" : m.type();
        if (o.remount()) {
            out.add(new MountStep.Remount(dest, o.attrSet(), o.attrClear(), o.recursiveAttrSet(),
                    o.recursiveAttrClear(), o.propagation(), o.recursivePropagation(), pointer));
            return;
        }
        if (o.bind() || type.equals("bind")) {
            if (m.source() == null || m.source().isEmpty()) {
                throw fieldError(pointer + "/source", "a bind mount needs a source");
            }
            String source = bundle.resolve(m.source()).normalize().toString();
            if (!host.exists(source)) {
                throw fieldError(pointer + "/source", "the bind mount source " + source + " does not exist");
            }
            out.add(new MountStep.Bind(source, dest, host.isDirectory(source), o.recursiveBind(), o.attrSet(),
                    o.attrClear(), o.propagation(), o.recursivePropagation(), pointer, o.recursiveAttrSet(),
                    o.recursiveAttrClear(), idMap(m, o, linux, pointer)));
            return;
        }
        if (type.isEmpty()) {
            throw fieldError(pointer + "/type", "a mount that is not a bind mount needs a filesystem type");
        }
        if (type.equals("cgroup") || type.equals("cgroup2")) {
            planCgroupMount(type, dest, o, pointer, out);
            return;
        }
        out.add(new MountStep.Filesystem(type, m.source() == null ? type : m.source(), dest, o.data(), o.attrSet(),
                o.propagation(), o.recursivePropagation(), pointer, o.superblockFlags(), o.recursiveAttrSet(),
                o.recursiveAttrClear(), o.copyUp()));
    }

    private static int optionIndex(Mount m, String a, String b) {
        int i = m.options().indexOf(a);
        return i >= 0 ? i : m.options().indexOf(b);
    }

    /**
     * An idmapped bind mount's maps: the mount's own uidMappings and gidMappings (both, as runc
     * requires), or with {@code idmap} alone the container's (the user namespace it joins, or its
     * own maps), as runc 1.2 does.
     */
    private static MountStep.IdMap idMap(Mount m, MountOptions o, Linux linux, String pointer) {
        if (!o.idmap() && m.uidMappings().isEmpty() && m.gidMappings().isEmpty()) {
            return null;
        }
        if (m.uidMappings().isEmpty() != m.gidMappings().isEmpty()) {
            throw fieldError(pointer + (m.uidMappings().isEmpty() ? "/uidMappings" : "/gidMappings"),
                    "an idmapped mount needs both uidMappings and gidMappings");
        }
        if (!m.uidMappings().isEmpty()) {
            return new MountStep.IdMap(IdMapLines.of(m.uidMappings()), IdMapLines.of(m.gidMappings()),
                    o.recursiveIdmap());
        }
        for (Linux.Namespace ns : linux.namespaces()) {
            if (ns.type().equals("user") && ns.path() != null && !ns.path().isEmpty()) {
                return new MountStep.IdMap(null, null, o.recursiveIdmap(), ns.path());
            }
        }
        if (linux.uidMappings().isEmpty() || linux.gidMappings().isEmpty()) {
            throw fieldError(pointer + "/options/" + optionIndex(m, "idmap", "ridmap"),
                    "idmap without the mount's own uidMappings and gidMappings takes the container's: "
                            + "the config has no /linux/uidMappings and /linux/gidMappings, nor joins a user namespace");
        }
        return new MountStep.IdMap(IdMapLines.of(linux.uidMappings()), IdMapLines.of(linux.gidMappings()),
                o.recursiveIdmap());
    }

    /**
     * runc 1.2 gives a tmpfs without {@code mode=} the mode of the image's directory it covers
     * (1.1 chmods it after the mount: the same result), where the kernel would make it 1777. The
     * directory is looked up in the image, resolved inside the rootfs; when an earlier mount of
     * the config covers it, what will be there is not known here and tmpfs's default stays.
     * A tmpcopyup mount's root gets its mode so too (runc 1.2: the copy leaves the root alone).
     */
    private void keepImageDirectoryMode(List<MountStep> mounts, String rootfs, String dest, List<String> mountedSoFar) {
        if (mounts.isEmpty() || !(mounts.get(mounts.size() - 1) instanceof MountStep.Filesystem f)
                || !f.type().equals("tmpfs") || !f.destination().equals(dest)) {
            return;
        }
        for (String option : f.data()) {
            if (option.startsWith("mode=")) {
                return;
            }
        }
        for (String earlier : mountedSoFar) {
            if (earlier.equals("/") || dest.equals(earlier) || dest.startsWith(earlier + "/")) {
                return;
            }
        }
        int mode = host.rootfsDirectoryMode(rootfs, dest);
        if (mode >= 0) {
            List<String> data = new ArrayList<>();
            data.add(String.format("mode=%04o", mode));
            data.addAll(f.data());
            mounts.set(mounts.size() - 1, f.withData(data));
        }
    }

    private static boolean isCgroupMount(Mount m) {
        return ("cgroup".equals(m.type()) || "cgroup2".equals(m.type())) && !MountOptions.parse(m.options()).bind();
    }

    /**
     * Without a cgroup namespace of its own, a new cgroup file system would show its hierarchy
     * from the root of the host's cgroup namespace: the host's whole tree, other containers'
     * cgroups and limits included (Docker on cgroup v1 runs containers so, and they read their
     * limits at /sys/fs/cgroup/pids/pids.max). As runc does, each v1 hierarchy's mount (and the
     * unified one below it on a hybrid host) becomes a bind of the container's own cgroup
     * directory in it, with the same attributes. A pure cgroup2 mount stays a new mount, as in
     * runc, except in a user namespace, where the kernel refuses it (only a cgroup namespace's
     * owner may mount one): runc binds there too. The directories exist by the time the init
     * mounts (the cgroup is made before the fork).
     */
    /**
     * The kernel lets a user namespace mount sysfs only for a network namespace it owns: without
     * one of its own the container gets the host's /sys, recursively bound, with the mount's
     * options (as {@code runc spec --rootless} writes it, and newer runc and crun do themselves).
     */
    static Mount sysfsAsBind(Mount m) {
        List<String> options = new ArrayList<>(m.options());
        options.addFirst("rbind");
        return new Mount(m.destination(), "bind", "/sys", options, m.uidMappings(), m.gidMappings(), m.extra());
    }

    private static void bindOwnCgroups(List<MountStep> mounts, String pointer, String dest, String cgroupPath,
                                       Map<String, String> cgroupDirs, boolean userNs) {
        for (int i = 0; i < mounts.size(); i++) {
            if (mounts.get(i) instanceof MountStep.Filesystem f && f.pointer().equals(pointer)
                    && (f.type().equals("cgroup") || f.type().equals("cgroup2") && (userNs
                            || !f.destination().equals(dest)))) {
                String sub = f.destination().substring(dest.length());
                String given = cgroupDirs == null ? null : cgroupDirs.get(sub.isEmpty() ? "" : sub.substring(1));
                String source = given != null ? given : "/sys/fs/cgroup" + sub + cgroupPath;
                mounts.set(i, new MountStep.Bind(source, f.destination(), true, false, f.attrSet(), 0,
                        0, false, pointer));
            }
        }
    }

    /**
     * runc's treatment of a {@code cgroup} mount: on a pure v2 host one cgroup2 mount; on v1 and
     * hybrid hosts a tmpfs with one mount per hierarchy (and the unified one), read-only on top
     * when the entry asks for it.
     */
    private void planCgroupMount(String type, String dest, MountOptions o, String pointer, List<MountStep> out) {
        CgroupLayout layout = host.cgroupLayout();
        long attrs = o.attrSet() | MountAttr.NOSUID | MountAttr.NODEV | MountAttr.NOEXEC;
        if (layout.unifiedOnly() || type.equals("cgroup2")) {
            out.add(new MountStep.Filesystem("cgroup2", "cgroup2", dest, List.of(), attrs, 0, false, pointer));
            return;
        }
        out.add(new MountStep.Filesystem("tmpfs", "cgroup", dest, List.of("mode=755"),
                MountAttr.NOSUID | MountAttr.NODEV | MountAttr.NOEXEC, 0, false, pointer));
        for (CgroupLayout.V1Hierarchy h : layout.v1()) {
            out.add(new MountStep.Filesystem("cgroup", "cgroup", dest + "/" + h.dir(), h.options(), attrs, 0, false,
                    pointer));
        }
        if (layout.unifiedDir() != null) {
            out.add(new MountStep.Filesystem("cgroup2", "cgroup2", dest + "/" + layout.unifiedDir(), List.of(), attrs,
                    0, false, pointer));
        }
        if (o.readonly()) {
            out.add(MountStep.Remount.readonly(dest, pointer));
        }
    }

    /** personality(2): the runtime-spec knows the LINUX and LINUX32 domains and no flags yet. */
    static Long personality(Linux linux) {
        Linux.Personality p = linux.personality();
        if (p == null) {
            return null;
        }
        if (!p.flags().isEmpty()) {
            throw fieldError("/linux/personality/flags", "no personality flags are supported, got " + p.flags());
        }
        return switch (p.domain() == null ? "" : p.domain()) {
            case "LINUX" -> 0x0000L;
            case "LINUX32" -> 0x0008L;
            default -> throw fieldError("/linux/personality/domain", "\"" + p.domain() + "\" is not one of LINUX, LINUX32");
        };
    }

    /** The content of /proc/self/timens_offsets: one line per clock, "name seconds nanoseconds". */
    static String timeOffsets(Linux linux, long cloneFlags) {
        if (linux.timeOffsets().isEmpty()) {
            return null;
        }
        if ((cloneFlags & NamespaceKind.TIME.cloneFlag()) == 0) {
            throw fieldError("/linux/timeOffsets", "clock offsets need a new time namespace: add {\"type\": \"time\"}");
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Linux.TimeOffset> e : linux.timeOffsets().entrySet()) {
            if (!e.getKey().equals("monotonic") && !e.getKey().equals("boottime")) {
                throw fieldError("/linux/timeOffsets/" + e.getKey(), "\"" + e.getKey() + "\" is not one of monotonic, boottime");
            }
            b.append(e.getKey()).append(' ').append(e.getValue().secs()).append(' ').append(e.getValue().nanosecs())
                    .append('\n');
        }
        return b.toString();
    }

    private static List<DeviceNode> devices(Linux linux, boolean userNs) {
        Map<String, DeviceNode> byPath = new LinkedHashMap<>();
        for (DeviceNode d : DEFAULT_DEVICES) {
            byPath.put(d.path(), withBind(d, userNs));
        }
        for (int i = 0; i < linux.devices().size(); i++) {
            Linux.Device d = linux.devices().get(i);
            String pointer = "/linux/devices/" + i;
            char type = switch (d.type()) {
                case "c", "u" -> 'c';
                case "b" -> 'b';
                case "p" -> 'p';
                default -> throw fieldError(pointer + "/type", "\"" + d.type() + "\" is not one of c, b, u, p");
            };
            int mode = d.fileMode() == null ? 0666 : (int) (d.fileMode() & 07777);
            DeviceNode node = new DeviceNode(cleanPath(d.path()), type, d.major(), d.minor(), mode,
                    d.uid() == null ? 0 : d.uid(), d.gid() == null ? 0 : d.gid(), false, pointer);
            byPath.put(node.path(), withBind(node, userNs));
        }
        return List.copyOf(byPath.values());
    }

    private static DeviceNode withBind(DeviceNode d, boolean userNs) {
        return new DeviceNode(d.path(), d.type(), d.major(), d.minor(), d.mode(), d.uid(), d.gid(), userNs, d.pointer());
    }

    /**
     * A namespace joined by path is the container's own as much as a new one (podman creates the
     * network namespace itself and passes its path), unless it is the host's: runc refuses
     * network sysctls there, and so does jrun.
     */
    private List<ContainerPlan.SysctlWrite> sysctls(Linux linux, long cloneFlags,
                                                    List<ContainerPlan.NamespaceJoin> joins) {
        long present = cloneFlags;
        for (ContainerPlan.NamespaceJoin j : joins) {
            if (j.kind() != NamespaceKind.NETWORK || !host.isHostNamespace(j.kind(), j.path())) {
                present |= j.kind().cloneFlag();
            }
        }
        List<ContainerPlan.SysctlWrite> out = new ArrayList<>();
        for (Map.Entry<String, String> e : linux.sysctl().entrySet()) {
            String pointer = "/linux/sysctl/" + e.getKey().replace("~", "~0").replace("/", "~1");
            String why = Sysctls.refusal(e.getKey(), (present & NamespaceKind.IPC.cloneFlag()) != 0,
                    (present & NamespaceKind.NETWORK.cloneFlag()) != 0,
                    (present & NamespaceKind.UTS.cloneFlag()) != 0);
            if (why != null) {
                throw fieldError(pointer, "sysctl " + e.getKey() + " is not allowed in a container: " + why);
            }
            out.add(new ContainerPlan.SysctlWrite(e.getKey(), Sysctls.procPath(e.getKey()), e.getValue(), pointer));
        }
        return List.copyOf(out);
    }

    /**
     * The propagation type rootfsPropagation names, with MS_REC for its "r" forms (the whole
     * tree under the root); without it, rslave, as runc sets the tree up.
     */
    static long rootPropagation(String name) {
        if (name == null || name.isEmpty()) {
            return MountAttr.MS_SLAVE | MountAttr.MS_REC;
        }
        boolean recursive = name.startsWith("r");
        return MountOptions.propagationOf(recursive ? name.substring(1) : name) | (recursive ? MountAttr.MS_REC : 0);
    }

    /** Lexically cleans an absolute path: no {@code .}, {@code ..} above root, or double slashes. */
    public static String cleanPath(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
            } else {
                parts.add(p);
            }
        }
        return "/" + String.join("/", parts);
    }

    /**
     * runc's rules (validate.netdevices): the devices need the container's own network namespace
     * (a new one, or one joined by path that is not jrun's), and names the kernel accepts
     * (dev_valid_name: 1 to 15 bytes, not {@code .} or {@code ..}, no {@code /}, {@code :} or
     * white space).
     */
    private List<ContainerPlan.NetDevice> netDevices(Linux linux, long cloneFlags,
                                                     List<ContainerPlan.NamespaceJoin> joins) {
        if (linux.netDevices().isEmpty()) {
            return List.of();
        }
        ContainerPlan.NamespaceJoin join = null;
        for (ContainerPlan.NamespaceJoin j : joins) {
            if (j.kind() == NamespaceKind.NETWORK) {
                join = j;
            }
        }
        boolean own = (cloneFlags & NamespaceKind.NETWORK.cloneFlag()) != 0
                || (join != null && !host.isHostNamespace(NamespaceKind.NETWORK, join.path()));
        if (!own) {
            throw fieldError("/linux/netDevices", "moving network devices needs a network namespace of the "
                    + "container's own; add {\"type\": \"network\"} to linux.namespaces");
        }
        List<ContainerPlan.NetDevice> out = new ArrayList<>();
        for (Map.Entry<String, Linux.NetDevice> e : linux.netDevices().entrySet()) {
            String pointer = "/linux/netDevices/" + e.getKey().replace("~", "~0").replace("/", "~1");
            String why = interfaceNameProblem(e.getKey());
            if (why != null) {
                throw fieldError(pointer, "\"" + e.getKey() + "\" is not a network interface name: " + why);
            }
            String name = e.getValue().name();
            if (name == null || name.isEmpty()) {
                name = e.getKey();
            } else if ((why = interfaceNameProblem(name)) != null) {
                throw fieldError(pointer + "/name", "\"" + name + "\" is not a network interface name: " + why);
            }
            out.add(new ContainerPlan.NetDevice(e.getKey(), name, pointer));
        }
        return List.copyOf(out);
    }

    /** Why the kernel would refuse {@code name} for an interface, or null. */
    static String interfaceNameProblem(String name) {
        if (name.isEmpty() || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 15) {
            return "it must have 1 to 15 bytes";
        }
        if (name.equals(".") || name.equals("..")) {
            return "it must not be . or ..";
        }
        for (char c : name.toCharArray()) {
            if (c == '/' || c == ':' || Character.isWhitespace(c)) {
                return "it must not contain /, : or white space";
            }
        }
        return null;
    }

    /**
     * runtime-spec: with intelRdt the runtime MUST put the container in a resctrl group, and MUST
     * fail when no resctrl filesystem is mounted (runc: "Intel RDT is not enabled"). jrun does
     * not implement resctrl groups, so it refuses the field in either case rather than run the
     * container without the cache and bandwidth allocation it asks for.
     */
    private void intelRdt(Linux linux) {
        if (linux.intelRdt() == null) {
            return;
        }
        if (!host.resctrlMounted()) {
            throw fieldError("/linux/intelRdt", "Intel RDT needs a resctrl filesystem, and none is mounted "
                    + "(mount -t resctrl resctrl /sys/fs/resctrl, on hardware that has RDT)");
        }
        throw fieldError("/linux/intelRdt", "jrun does not implement Intel RDT (resctrl groups); "
                + "remove the field or use a runtime that does");
    }

    static JrunException fieldError(String pointer, String message) {
        return new JrunException("config.json: " + pointer + ": " + message);
    }

    /**
     * Adds SELinux's {@code context=} option to the filesystems runc labels: every new filesystem
     * instance except proc, sysfs, mqueue and cgroups (whose labels come from policy); bind
     * mounts keep the label of their source.
     */
    static List<MountStep> labelMounts(List<MountStep> mounts, String mountLabel) {
        if (mountLabel == null || mountLabel.isEmpty()) {
            return mounts;
        }
        List<MountStep> out = new ArrayList<>(mounts.size());
        for (MountStep m : mounts) {
            if (m instanceof MountStep.Filesystem f && takesContext(f.type())) {
                List<String> data = new ArrayList<>(f.data());
                // fsconfig takes the value as one string: no quoting, unlike mount(2)'s option list.
                data.add("context=" + mountLabel);
                out.add(f.withData(data));
            } else {
                out.add(m);
            }
        }
        return List.copyOf(out);
    }

    private static boolean takesContext(String type) {
        return switch (type) {
            case "proc", "sysfs", "mqueue", "cgroup", "cgroup2" -> false;
            default -> true;
        };
    }
}
