package jrun.linux;

import static jrun.json.Jackson.toJsonValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jrun.base.JrunException;
import jrun.linux.cgroups.CgroupLayout;
import jrun.spec.SpecReader;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

/** Planning without a host: which namespaces, mounts, devices, sysctls and process come out of a config. */
class ContainerPlannerTest {
    private static final Path BUNDLE = Path.of("/bundles/b");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final CgroupLayout HYBRID = new CgroupLayout(false, List.of(
            new CgroupLayout.V1Hierarchy("cpu,cpuacct", List.of("cpu", "cpuacct")),
            new CgroupLayout.V1Hierarchy("systemd", List.of("name=systemd"))), "unified");
    private static final CgroupLayout PURE_V2 = new CgroupLayout(true, List.of(), null);

    /** A host where only the listed directories and files exist. */
    private static final class FakeHost implements HostFacts {
        final Set<String> directories = new HashSet<>(Set.of("/bundles/b/rootfs", "/srv/data"));
        final Set<String> files = new HashSet<>(Set.of("/etc/resolv.conf", "/bundles/b/hosts"));
        final Set<String> hostNamespaces = new HashSet<>(Set.of("/proc/1/ns/net"));
        CgroupLayout layout = HYBRID;
        boolean resctrl;
        boolean inUserNamespace;
        final java.util.Map<String, Integer> imageDirectoryModes = new java.util.HashMap<>();

        @Override
        public int rootfsDirectoryMode(String rootfs, String path) {
            return imageDirectoryModes.getOrDefault(rootfs + path, -1);
        }

        @Override
        public boolean isDirectory(String hostPath) {
            return directories.contains(hostPath);
        }

        @Override
        public boolean exists(String hostPath) {
            return directories.contains(hostPath) || files.contains(hostPath);
        }

        @Override
        public CgroupLayout cgroupLayout() {
            return layout;
        }

        @Override
        public boolean isHostNamespace(NamespaceKind kind, String path) {
            return hostNamespaces.contains(path);
        }

        @Override
        public boolean resctrlMounted() {
            return resctrl;
        }

        @Override
        public boolean runsInUserNamespace() {
            return inUserNamespace;
        }
    }

    private final FakeHost host = new FakeHost();

    /** A minimal config: the given JSON members are added to (or replace) its top level and linux. */
    private ContainerPlan plan(String topLevel, String linux) {
        String json = """
                {"ociVersion": "1.2.0",
                 "process": {"args": ["sh"], "cwd": "/", "user": {"uid": 0, "gid": 0}},
                 "root": {"path": "rootfs"},
                 %s
                 "linux": {%s}}
                """.formatted(topLevel.isEmpty() ? "" : topLevel + ",",
                linux.isEmpty() ? "\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"pid\"}]" : linux);
        return new ContainerPlanner(host).plan(SpecReader.read(toJsonValue(JSON.readTree(json))), BUNDLE, false);
    }

    private ContainerPlan plan(String topLevel) {
        return plan(topLevel, "");
    }

    private JrunException refused(String topLevel, String linux) {
        return assertThrows(JrunException.class, () -> plan(topLevel, linux));
    }

    private static final String MOUNT_NS = "\"namespaces\": [{\"type\": \"mount\"}]";

    @Test
    void newNamespacesBecomeCloneFlagsAndPathsBecomeJoinsInJoiningOrder() {
        ContainerPlan p = plan("", """
                "namespaces": [{"type": "mount"}, {"type": "network", "path": "/run/netns/x"}, {"type": "uts"},
                               {"type": "user", "path": "/proc/7/ns/user"}, {"type": "pid"}]""");
        assertEquals(NamespaceKind.MOUNT.cloneFlag() | NamespaceKind.UTS.cloneFlag() | NamespaceKind.PID.cloneFlag(),
                p.cloneFlags());
        assertEquals(List.of(
                new ContainerPlan.NamespaceJoin(NamespaceKind.USER, "/proc/7/ns/user", "/linux/namespaces/3/path"),
                new ContainerPlan.NamespaceJoin(NamespaceKind.NETWORK, "/run/netns/x", "/linux/namespaces/1/path")),
                p.joins());
        assertTrue(p.creates(NamespaceKind.UTS));
        assertFalse(p.creates(NamespaceKind.NETWORK));
    }

    @Test
    void aContainerWithoutAMountNamespaceUsesTheRuntimes() {
        ContainerPlan p = plan("", "\"namespaces\": [{\"type\": \"pid\"}]");
        assertFalse(p.ownMountNamespace());
        assertTrue(plan("").ownMountNamespace());
        assertTrue(plan("", "\"namespaces\": [{\"type\": \"mount\", \"path\": \"/proc/7/ns/mnt\"}]").ownMountNamespace());
    }

    @Test
    void aUserNamespaceWithoutAMountNamespaceIsRefused() {
        JrunException e = refused("", "\"namespaces\": [{\"type\": \"user\"}], "
                + "\"uidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}], "
                + "\"gidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}]");
        assertTrue(e.getMessage().startsWith("config.json: /linux/namespaces: a user namespace needs a mount namespace"),
                e.getMessage());
    }

    @Test
    void netDevicesKeepTheirHostNameUnlessRenamedInTheConfigsOrder() {
        ContainerPlan p = plan("", """
                "namespaces": [{"type": "mount"}, {"type": "network"}],
                "netDevices": {"eth1": {"name": "ctr1"}, "eth2": {}, "eth3": {"name": "net%d"}}""");
        assertEquals(List.of(new ContainerPlan.NetDevice("eth1", "ctr1", "/linux/netDevices/eth1"),
                new ContainerPlan.NetDevice("eth2", "eth2", "/linux/netDevices/eth2"),
                new ContainerPlan.NetDevice("eth3", "net%d", "/linux/netDevices/eth3")), p.netDevices());
        assertTrue(p.netDevices().get(2).templated());
        assertEquals(List.of(), plan("").netDevices());
    }

    @Test
    void netDevicesNeedTheContainersOwnNetworkNamespaceAndNamesTheKernelAccepts() {
        assertEquals("config.json: /linux/netDevices: moving network devices needs a network namespace of the "
                + "container's own; add {\"type\": \"network\"} to linux.namespaces",
                refused("", MOUNT_NS + ", \"netDevices\": {\"eth1\": {}}").getMessage());
        assertEquals("config.json: /linux/netDevices: moving network devices needs a network namespace of the "
                + "container's own; add {\"type\": \"network\"} to linux.namespaces", refused("", """
                "namespaces": [{"type": "mount"}, {"type": "network", "path": "/proc/1/ns/net"}],
                "netDevices": {"eth1": {}}""").getMessage(), "the host's namespace joined by path");
        String ns = "\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"network\", \"path\": \"/run/netns/x\"}], ";
        assertEquals(1, plan("", ns + "\"netDevices\": {\"eth1\": {}}").netDevices().size());
        assertEquals("config.json: /linux/netDevices/eth1/name: \"a-name-of-16-byt\" is not a network interface "
                + "name: it must have 1 to 15 bytes",
                refused("", ns + "\"netDevices\": {\"eth1\": {\"name\": \"a-name-of-16-byt\"}}").getMessage());
        assertEquals("config.json: /linux/netDevices/a:b: \"a:b\" is not a network interface name: it must not "
                + "contain /, : or white space", refused("", ns + "\"netDevices\": {\"a:b\": {}}").getMessage());
        assertEquals("config.json: /linux/netDevices/..: \"..\" is not a network interface name: it must not be . "
                + "or ..", refused("", ns + "\"netDevices\": {\"..\": {}}").getMessage());
    }

    @Test
    void intelRdtIsRefusedNamingTheFieldAndWhyWithOrWithoutResctrl() {
        String rdt = MOUNT_NS + ", \"intelRdt\": {\"closID\": \"gold\", \"l3CacheSchema\": \"L3:0=ff\"}";
        assertEquals("config.json: /linux/intelRdt: Intel RDT needs a resctrl filesystem, and none is mounted "
                + "(mount -t resctrl resctrl /sys/fs/resctrl, on hardware that has RDT)", refused("", rdt).getMessage());
        host.resctrl = true;
        assertEquals("config.json: /linux/intelRdt: jrun does not implement Intel RDT (resctrl groups); remove the "
                + "field or use a runtime that does", refused("", rdt).getMessage());
    }

    @Test
    void aConfigWithoutLinuxIsRefused() {
        String json = """
                {"ociVersion": "1.2.0", "process": {"args": ["sh"], "cwd": "/"}, "root": {"path": "rootfs"}}""";
        JrunException e = assertThrows(JrunException.class,
                () -> new ContainerPlanner(host).plan(SpecReader.read(toJsonValue(JSON.readTree(json))), BUNDLE, false));
        assertTrue(e.getMessage().startsWith("config.json: /linux: "), e.getMessage());
    }

    @Test
    void theRootfsIsResolvedAgainstTheBundleAndMustBeADirectory() {
        assertEquals("/bundles/b/rootfs", plan("").rootfs());
        host.directories.remove("/bundles/b/rootfs");
        JrunException e = refused("", "");
        assertTrue(e.getMessage().startsWith("config.json: /root/path: "), e.getMessage());
        assertTrue(e.getMessage().contains("/bundles/b/rootfs"), e.getMessage());
    }

    @Test
    void rootPropagationIsSlaveUnlessTheConfigSaysOtherwise() {
        assertEquals(MountAttr.MS_SLAVE | MountAttr.MS_REC, plan("").rootPropagation());
        assertEquals(MountAttr.MS_PRIVATE | MountAttr.MS_REC,
                plan("", MOUNT_NS + ", \"rootfsPropagation\": \"rprivate\"").rootPropagation());
        assertEquals(MountAttr.MS_SHARED, plan("", MOUNT_NS + ", \"rootfsPropagation\": \"shared\"").rootPropagation());
        assertEquals(MountAttr.MS_UNBINDABLE | MountAttr.MS_REC,
                plan("", MOUNT_NS + ", \"rootfsPropagation\": \"runbindable\"").rootPropagation());
        assertEquals(MountAttr.MS_SLAVE, plan("", MOUNT_NS + ", \"rootfsPropagation\": \"slave\"").rootPropagation());
    }

    @Test
    void aBindMountKeepsItsOptionsAndResolvesARelativeSourceInTheBundle() {
        ContainerPlan p = plan("""
                "mounts": [
                  {"destination": "/data/", "type": "bind", "source": "/srv/data", "options": ["rbind", "ro", "nosuid", "rprivate"]},
                  {"destination": "/etc/hosts", "source": "hosts", "options": ["bind"]}]""");
        assertEquals(List.of(
                new MountStep.Bind("/srv/data", "/data", true, true, MountAttr.RDONLY | MountAttr.NOSUID, 0,
                        MountAttr.MS_PRIVATE, true, "/mounts/0"),
                new MountStep.Bind("/bundles/b/hosts", "/etc/hosts", false, false, 0, 0, 0, false, "/mounts/1")),
                p.mounts());
    }

    @Test
    void aBindMountWhoseSourceIsMissingIsRefusedWithItsPointer() {
        JrunException e = refused("""
                "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"},
                           {"destination": "/x", "type": "bind", "source": "/no/such", "options": ["rbind"]}]""", "");
        assertTrue(e.getMessage().startsWith("config.json: /mounts/1/source: "), e.getMessage());
        assertTrue(e.getMessage().contains("/no/such"), e.getMessage());
    }

    @Test
    void aFilesystemMountSplitsFlagsFromDataAndCleansItsDestination() {
        ContainerPlan p = plan("""
                "mounts": [{"destination": "/dev/../run//x/.", "type": "tmpfs", "source": "tmpfs",
                            "options": ["nosuid", "strictatime", "mode=755", "size=65536k", "noexec"]}]""");
        assertEquals(List.of(new MountStep.Filesystem("tmpfs", "tmpfs", "/run/x", List.of("mode=755", "size=65536k"),
                MountAttr.NOSUID | MountAttr.STRICTATIME | MountAttr.NOEXEC, 0, false, "/mounts/0")), p.mounts());
    }

    @Test
    void anOptionThatIsNeitherJrunsNorTheFilesystemsIsRefusedWithItsPointer() {
        JrunException e = refused("""
                "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"},
                           {"destination": "/run", "type": "tmpfs", "source": "tmpfs",
                            "options": ["nosuid", "size=64k", "foo"]}]""", "");
        assertEquals("config.json: /mounts/1/options/2: \"foo\" is not a mount option jrun knows nor a parameter of"
                + " tmpfs (" + String.join(", ", FilesystemParameters.of("tmpfs")) + ")", e.getMessage());
        JrunException sysfs = refused("""
                "mounts": [{"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["ro", "mode=1"]}]""",
                "");
        assertTrue(sysfs.getMessage().startsWith("config.json: /mounts/0/options/1: \"mode=1\""), sysfs.getMessage());
        // a filesystem jrun has no table for: the kernel judges its data
        assertEquals(List.of("lowerdir=/a", "index=off"), ((MountStep.Filesystem) plan("""
                "mounts": [{"destination": "/o", "type": "overlay", "source": "overlay",
                            "options": ["lowerdir=/a", "index=off"]}]""").mounts().get(0)).data());
    }

    @Test
    void aBindMountWithFilesystemDataIsRefusedAsRuncDoes() {
        JrunException e = refused("""
                "mounts": [{"destination": "/d", "type": "bind", "source": "/srv/data", "options": ["rbind", "mode=755"]}]""",
                "");
        assertTrue(e.getMessage().startsWith("config.json: /mounts/0/options/1: \"mode=755\" is not a mount option"),
                e.getMessage());
    }

    @Test
    void recursiveAttributesSuperblockFlagsAndCopyUpReachTheSteps() {
        ContainerPlan p = plan("""
                "mounts": [{"destination": "/run", "type": "tmpfs", "source": "tmpfs",
                            "options": ["rro", "sync", "lazytime", "tmpcopyup", "mode=755"]},
                           {"destination": "/d", "type": "bind", "source": "/srv/data", "options": ["rbind", "ro", "rnosuid"]}]""");
        assertEquals(new MountStep.Filesystem("tmpfs", "tmpfs", "/run", List.of("mode=755"), 0, 0, false, "/mounts/0",
                List.of("sync", "lazytime"), MountAttr.RDONLY, 0, true), p.mounts().get(0));
        assertEquals(new MountStep.Bind("/srv/data", "/d", true, true, MountAttr.RDONLY, 0, 0, false, "/mounts/1",
                MountAttr.NOSUID, 0, null), p.mounts().get(1));
    }

    @Test
    void tmpcopyupIsForATmpfsOnly() {
        JrunException bind = refused("""
                "mounts": [{"destination": "/d", "type": "bind", "source": "/srv/data", "options": ["rbind", "tmpcopyup"]}]""",
                "");
        assertTrue(bind.getMessage().startsWith("config.json: /mounts/0/options/1: tmpcopyup applies to a new tmpfs only"),
                bind.getMessage());
        JrunException proc = refused("""
                "mounts": [{"destination": "/proc", "type": "proc", "source": "proc", "options": ["tmpcopyup"]}]""", "");
        assertTrue(proc.getMessage().startsWith("config.json: /mounts/0/options/0: "), proc.getMessage());
    }

    @Test
    void idmappedMountsAreBindMountsWithBothMaps() {
        String maps = "\"uidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 10}]";
        JrunException tmpfs = refused("\"mounts\": [{\"destination\": \"/t\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", "
                + "\"options\": [\"idmap\"]}]", "");
        assertTrue(tmpfs.getMessage().startsWith("config.json: /mounts/0/options/0: idmapped mounts are bind mounts only"),
                tmpfs.getMessage());
        JrunException onlyUid = refused("\"mounts\": [{\"destination\": \"/d\", \"type\": \"bind\", \"source\": \"/srv/data\", "
                + "\"options\": [\"rbind\"], " + maps + "}]", "");
        assertTrue(onlyUid.getMessage().startsWith("config.json: /mounts/0/gidMappings: "), onlyUid.getMessage());
        JrunException noMaps = refused("\"mounts\": [{\"destination\": \"/d\", \"type\": \"bind\", \"source\": \"/srv/data\", "
                + "\"options\": [\"rbind\", \"idmap\"]}]", "");
        assertTrue(noMaps.getMessage().startsWith("config.json: /mounts/0/options/1: idmap without"), noMaps.getMessage());

        ContainerPlan own = plan("\"mounts\": [{\"destination\": \"/d\", \"type\": \"bind\", \"source\": \"/srv/data\", "
                + "\"options\": [\"rbind\", \"ridmap\"], " + maps + ", "
                + maps.replace("uid", "gid").replace("1000", "2000") + "}]");
        assertEquals(new MountStep.IdMap("0 1000 10\n", "0 2000 10\n", true), ((MountStep.Bind) own.mounts().get(0)).idmap());
        ContainerPlan containers = plan("\"mounts\": [{\"destination\": \"/d\", \"type\": \"bind\", \"source\": \"/srv/data\", "
                + "\"options\": [\"bind\", \"idmap\"]}]", "\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"user\"}], "
                + maps + ", " + maps.replace("uid", "gid"));
        assertEquals(new MountStep.IdMap("0 1000 10\n", "0 1000 10\n", false),
                ((MountStep.Bind) containers.mounts().get(0)).idmap());
        ContainerPlan joined = plan("\"mounts\": [{\"destination\": \"/d\", \"type\": \"bind\", \"source\": \"/srv/data\", "
                + "\"options\": [\"rbind\", \"ridmap\"]}]",
                "\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"user\", \"path\": \"/proc/42/ns/user\"}]");
        assertEquals(new MountStep.IdMap(null, null, true, "/proc/42/ns/user"),
                ((MountStep.Bind) joined.mounts().get(0)).idmap());
    }

    @Test
    void remountChangesTheMountAtTheDestination() {
        ContainerPlan p = plan("""
                "mounts": [{"destination": "/", "type": "none", "options": ["remount", "rro", "nosuid", "rshared"]}]""");
        assertEquals(List.of(new MountStep.Remount("/", MountAttr.NOSUID, 0, MountAttr.RDONLY, 0, MountAttr.MS_SHARED,
                true, "/mounts/0")), p.mounts());
    }

    @Test
    void aTmpfsWithoutModeTakesTheModeOfTheImagesDirectoryAsInRunc() {
        host.imageDirectoryModes.put("/bundles/b/rootfs/run", 0750);
        host.imageDirectoryModes.put("/bundles/b/rootfs/dev/shm", 0700);
        ContainerPlan p = plan("""
                "mounts": [{"destination": "/run", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]},
                           {"destination": "/run2", "type": "tmpfs", "source": "tmpfs"},
                           {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["mode=755"]},
                           {"destination": "/dev/shm", "type": "tmpfs", "source": "shm"}]""");
        // /run2 is not in the image; /dev/shm is under an earlier mount, where the image's does not show
        assertEquals(List.of(List.of("mode=0750", "size=1m"), List.of(), List.of("mode=755"), List.of()),
                p.mounts().stream().map(m -> ((MountStep.Filesystem) m).data()).toList());
    }

    @Test
    void aMountWithoutTypeThatIsNotABindIsRefused() {
        JrunException e = refused("\"mounts\": [{\"destination\": \"/x\", \"source\": \"none\"}]", "");
        assertTrue(e.getMessage().startsWith("config.json: /mounts/0/type: "), e.getMessage());
    }

    @Test
    void aCgroupMountOnAHybridHostIsATmpfsWithEveryHierarchyAndRemountedReadOnlyLast() {
        // In a cgroup namespace of its own, each new cgroup filesystem shows the container's cgroup.
        ContainerPlan p = plan("""
                "mounts": [{"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
                            "options": ["nosuid", "ro"]}]""",
                "\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"pid\"}, {\"type\": \"cgroup\"}]");
        long attrs = MountAttr.RDONLY | MountAttr.NOSUID | MountAttr.NODEV | MountAttr.NOEXEC;
        assertEquals(List.of(
                new MountStep.Filesystem("tmpfs", "cgroup", "/sys/fs/cgroup", List.of("mode=755"),
                        MountAttr.NOSUID | MountAttr.NODEV | MountAttr.NOEXEC, 0, false, "/mounts/0"),
                new MountStep.Filesystem("cgroup", "cgroup", "/sys/fs/cgroup/cpu,cpuacct", List.of("cpu", "cpuacct"),
                        attrs, 0, false, "/mounts/0"),
                new MountStep.Filesystem("cgroup", "cgroup", "/sys/fs/cgroup/systemd", List.of("name=systemd"), attrs,
                        0, false, "/mounts/0"),
                new MountStep.Filesystem("cgroup2", "cgroup2", "/sys/fs/cgroup/unified", List.of(), attrs, 0, false,
                        "/mounts/0"),
                MountStep.Remount.readonly("/sys/fs/cgroup", "/mounts/0")), p.mounts());
    }

    @Test
    void inAUserNamespaceWithoutACgroupNamespaceEachHierarchyIsABindOfTheContainersCgroup() {
        String userNs = "\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"user\"}], "
                + "\"uidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 10}], "
                + "\"gidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 10}], "
                + "\"cgroupsPath\": \"/pod/c1\"";
        ContainerPlan p = plan("""
                "mounts": [{"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
                            "options": ["nosuid", "ro"]}]""", userNs);
        long attrs = MountAttr.RDONLY | MountAttr.NOSUID | MountAttr.NODEV | MountAttr.NOEXEC;
        assertEquals(List.of(
                new MountStep.Filesystem("tmpfs", "cgroup", "/sys/fs/cgroup", List.of("mode=755"),
                        MountAttr.NOSUID | MountAttr.NODEV | MountAttr.NOEXEC, 0, false, "/mounts/0"),
                new MountStep.Bind("/sys/fs/cgroup/cpu,cpuacct/pod/c1", "/sys/fs/cgroup/cpu,cpuacct", true, false,
                        attrs, 0, 0, false, "/mounts/0"),
                new MountStep.Bind("/sys/fs/cgroup/systemd/pod/c1", "/sys/fs/cgroup/systemd", true, false, attrs, 0, 0,
                        false, "/mounts/0"),
                new MountStep.Bind("/sys/fs/cgroup/unified/pod/c1", "/sys/fs/cgroup/unified", true, false, attrs, 0, 0,
                        false, "/mounts/0"),
                MountStep.Remount.readonly("/sys/fs/cgroup", "/mounts/0")), p.mounts());
        // with a cgroup namespace of its own, the init may mount the hierarchies itself
        ContainerPlan withCgroupNs = plan("""
                "mounts": [{"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup"}]""",
                userNs.replace("{\"type\": \"user\"}", "{\"type\": \"user\"}, {\"type\": \"cgroup\"}"));
        assertInstanceOf(MountStep.Filesystem.class, withCgroupNs.mounts().get(1));
    }

    @Test
    void withoutACgroupNamespaceEachHierarchyIsTheBindOfTheContainersOwnCgroup() {
        // As runc: a new cgroup filesystem would show the host's whole tree (Docker on cgroup v1
        // gives no cgroup namespace, and its containers read their limits at the top).
        ContainerPlan p = plan("""
                "mounts": [{"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
                            "options": ["nosuid", "ro"]}]""");
        long attrs = MountAttr.RDONLY | MountAttr.NOSUID | MountAttr.NODEV | MountAttr.NOEXEC;
        assertEquals(List.of(
                new MountStep.Filesystem("tmpfs", "cgroup", "/sys/fs/cgroup", List.of("mode=755"),
                        MountAttr.NOSUID | MountAttr.NODEV | MountAttr.NOEXEC, 0, false, "/mounts/0"),
                new MountStep.Bind("/sys/fs/cgroup/cpu,cpuacct/jrun/container", "/sys/fs/cgroup/cpu,cpuacct", true, false,
                        attrs, 0, 0, false, "/mounts/0"),
                new MountStep.Bind("/sys/fs/cgroup/systemd/jrun/container", "/sys/fs/cgroup/systemd", true, false, attrs, 0,
                        0, false, "/mounts/0"),
                new MountStep.Bind("/sys/fs/cgroup/unified/jrun/container", "/sys/fs/cgroup/unified", true, false, attrs, 0,
                        0, false, "/mounts/0"),
                MountStep.Remount.readonly("/sys/fs/cgroup", "/mounts/0")), p.mounts());
    }

    @Test
    void aCgroupMountOnAPureV2HostIsOneCgroup2Mount() {
        host.layout = PURE_V2;
        ContainerPlan p = plan("""
                "mounts": [{"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup", "options": ["ro"]}]""");
        assertEquals(List.of(new MountStep.Filesystem("cgroup2", "cgroup2", "/sys/fs/cgroup", List.of(),
                MountAttr.RDONLY | MountAttr.NOSUID | MountAttr.NODEV | MountAttr.NOEXEC, 0, false, "/mounts/0")),
                p.mounts());
    }

    @Test
    void ptmxIsLinkedOnlyWhenTheConfigMountsADevpts() {
        assertFalse(plan("").ptmxSymlink());
        assertTrue(plan("""
                "mounts": [{"destination": "/dev/pts", "type": "devpts", "source": "devpts"}]""").ptmxSymlink());
    }

    @Test
    void theDefaultDevicesComeFirstAndAConfigEntryForTheSamePathReplacesOne() {
        ContainerPlan p = plan("", MOUNT_NS + """
                , "devices": [{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229},
                              {"path": "/dev/null", "type": "u", "major": 1, "minor": 3, "fileMode": 8630, "uid": 5, "gid": 6},
                              {"path": "/dev/pipe", "type": "p"}]""");
        List<String> paths = p.devices().stream().map(DeviceNode::path).toList();
        assertEquals(List.of("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty",
                "/dev/fuse", "/dev/pipe"), paths);
        // fileMode 8630 is 020666 (S_IFCHR | 0666): only the permission bits are kept
        assertEquals(new DeviceNode("/dev/null", 'c', 1, 3, 0666, 5, 6, false, "/linux/devices/1"), p.devices().get(0));
        assertEquals(new DeviceNode("/dev/fuse", 'c', 10, 229, 0666, 0, 0, false, "/linux/devices/0"), p.devices().get(6));
        assertEquals('p', p.devices().get(7).type());
        assertEquals(new DeviceNode("/dev/tty", 'c', 5, 0, 0666, 0, 0, false, "default device"), p.devices().get(5));
    }

    @Test
    void inAUserNamespaceDevicesAreBoundFromTheHost() {
        ContainerPlan p = plan("", "\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"user\"}]");
        assertTrue(p.devices().stream().allMatch(DeviceNode::bindFromHost));
        assertTrue(plan("").devices().stream().noneMatch(DeviceNode::bindFromHost));
    }

    /** Rootless podman's case: jrun runs as root of the user's namespace, the config has none. */
    @Test
    void whenJrunRunsInAUserNamespaceDevicesAreBoundFromTheHost() {
        host.inUserNamespace = true;
        ContainerPlan p = plan("", MOUNT_NS + ", \"devices\": [{\"path\": \"/dev/fuse\", \"type\": \"c\", \"major\": 10, \"minor\": 229}]");
        assertEquals(7, p.devices().size());
        assertTrue(p.devices().stream().allMatch(DeviceNode::bindFromHost));
    }

    @Test
    void anUnknownDeviceTypeIsRefusedWithItsPointer() {
        JrunException e = refused("", MOUNT_NS + ", \"devices\": [{\"path\": \"/dev/x\", \"type\": \"q\", \"major\": 1, \"minor\": 1}]");
        assertTrue(e.getMessage().startsWith("config.json: /linux/devices/0/type: "), e.getMessage());
    }

    @Test
    void sysctlsOfTheContainersNamespacesArePlannedAsProcWrites() {
        ContainerPlan p = plan("", """
                "namespaces": [{"type": "mount"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}],
                "sysctl": {"net.ipv4.ip_forward": "1", "kernel.shmmax": "4096", "fs.mqueue.msg_max": "20",
                           "kernel.domainname": "example"}""");
        assertEquals(List.of(
                new ContainerPlan.SysctlWrite("net.ipv4.ip_forward", "/proc/sys/net/ipv4/ip_forward", "1",
                        "/linux/sysctl/net.ipv4.ip_forward"),
                new ContainerPlan.SysctlWrite("kernel.shmmax", "/proc/sys/kernel/shmmax", "4096",
                        "/linux/sysctl/kernel.shmmax"),
                new ContainerPlan.SysctlWrite("fs.mqueue.msg_max", "/proc/sys/fs/mqueue/msg_max", "20",
                        "/linux/sysctl/fs.mqueue.msg_max"),
                new ContainerPlan.SysctlWrite("kernel.domainname", "/proc/sys/kernel/domainname", "example",
                        "/linux/sysctl/kernel.domainname")), p.sysctls());
    }

    @Test
    void aSysctlOfANamespaceTheContainerLacksIsRefused() {
        JrunException e = refused("", MOUNT_NS + ", \"sysctl\": {\"net.ipv4.ip_forward\": \"1\"}");
        assertTrue(e.getMessage().startsWith("config.json: /linux/sysctl/net.ipv4.ip_forward: "), e.getMessage());
        assertTrue(e.getMessage().contains("network namespace"), e.getMessage());
    }

    @Test
    void aSysctlThatIsNotNamespacedIsRefusedWhateverTheNamespaces() {
        JrunException e = refused("", """
                "namespaces": [{"type": "mount"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}],
                "sysctl": {"vm.swappiness": "10"}""");
        assertTrue(e.getMessage().startsWith("config.json: /linux/sysctl/vm.swappiness: "), e.getMessage());
    }

    @Test
    void aSysctlKeyWithASlashIsEscapedInItsPointer() {
        JrunException e = refused("", MOUNT_NS + ", \"sysctl\": {\"kernel/pid_max\": \"10\"}");
        assertTrue(e.getMessage().startsWith("config.json: /linux/sysctl/kernel~1pid_max: "), e.getMessage());
    }

    @Test
    void aNetworkSysctlIsAllowedInAJoinedNetworkNamespaceButNotInTheHosts() {
        ContainerPlan p = plan("", """
                "namespaces": [{"type": "mount"}, {"type": "network", "path": "/run/netns/pod"}],
                "sysctl": {"net.ipv4.ip_forward": "1"}""");
        assertEquals(1, p.sysctls().size());
        JrunException e = refused("", """
                "namespaces": [{"type": "mount"}, {"type": "network", "path": "/proc/1/ns/net"}],
                "sysctl": {"net.ipv4.ip_forward": "1"}""");
        assertTrue(e.getMessage().startsWith("config.json: /linux/sysctl/net.ipv4.ip_forward: "), e.getMessage());
    }

    @Test
    void theRestOfTheConfigIsCarriedOver() {
        ContainerPlan p = plan("""
                "hostname": "box", "domainname": "example.org", "root": {"path": "rootfs", "readonly": true}""",
                MOUNT_NS + ", \"maskedPaths\": [\"/proc/kcore\"], \"readonlyPaths\": [\"/proc/sys\"]");
        assertEquals("box", p.hostname());
        assertEquals("example.org", p.domainname());
        assertTrue(p.readonlyRoot());
        assertEquals(List.of("/proc/kcore"), p.maskedPaths());
        assertEquals(List.of("/proc/sys"), p.readonlyPaths());
        assertTrue(p.pivotRoot());
        assertEquals(List.of("sh"), p.process().args());
    }

    @Test
    void noPivotIsCarriedOver() {
        String json = """
                {"ociVersion": "1.2.0", "process": {"args": ["sh"], "cwd": "/"}, "root": {"path": "rootfs"},
                 "linux": {"namespaces": [{"type": "mount"}]}}""";
        assertFalse(new ContainerPlanner(host).plan(SpecReader.read(toJsonValue(JSON.readTree(json))), BUNDLE, true).pivotRoot());
    }

    @Test
    void aConfigWithoutProcessPlansNoProcess() {
        String json = """
                {"ociVersion": "1.2.0", "root": {"path": "rootfs"}, "linux": {"namespaces": [{"type": "mount"}]}}""";
        assertNull(new ContainerPlanner(host).plan(SpecReader.read(toJsonValue(JSON.readTree(json))), BUNDLE, false).process());
    }

    @Test
    void cleanPathRemovesDotsDoubleSlashesAndClimbsAboveRoot() {
        assertEquals("/", ContainerPlanner.cleanPath(""));
        assertEquals("/", ContainerPlanner.cleanPath("/.."));
        assertEquals("/etc", ContainerPlanner.cleanPath("/../../etc/"));
        assertEquals("/a/c", ContainerPlanner.cleanPath("//a/./b/../c"));
        assertEquals("/relative", ContainerPlanner.cleanPath("relative"));
    }

    @Test
    void filesystemMountsKeepTheirOrder() {
        ContainerPlan p = plan("""
                "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"},
                           {"destination": "/dev", "type": "tmpfs", "source": "tmpfs"},
                           {"destination": "/dev/pts", "type": "devpts", "source": "devpts"}]""");
        assertEquals(List.of("/proc", "/dev", "/dev/pts"), p.mounts().stream().map(MountStep::destination).toList());
        assertInstanceOf(MountStep.Filesystem.class, p.mounts().get(2));
    }

    @Test
    void sysfsInAUserNamespaceWithoutANetworkNamespaceIsTheHostsSysBound() {
        host.directories.add("/sys");
        ContainerPlan p = plan("""
                "mounts": [{"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "ro"]}]""",
                "\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"user\"}]");
        MountStep.Bind bind = assertInstanceOf(MountStep.Bind.class, p.mounts().get(0));
        assertEquals("/sys", bind.source());
        assertTrue(bind.recursive(), "rbind");
        assertEquals(MountAttr.RDONLY | MountAttr.NOSUID, bind.attrSet() & (MountAttr.RDONLY | MountAttr.NOSUID));
    }

    @Test
    void sysfsWithANetworkNamespaceOrWithoutAUserNamespaceIsMounted() {
        String sysfs = """
                "mounts": [{"destination": "/sys", "type": "sysfs", "source": "sysfs"}]""";
        assertInstanceOf(MountStep.Filesystem.class, plan(sysfs, """
                "namespaces": [{"type": "mount"}, {"type": "user"}, {"type": "network"}]""").mounts().get(0));
        assertInstanceOf(MountStep.Filesystem.class, plan(sysfs, MOUNT_NS).mounts().get(0));
    }

    @Test
    void aCgroupMountBindsFromTheDirectoriesGivenForARootlessContainer() {
        host.layout = PURE_V2;
        ContainerPlan p = new ContainerPlanner(host).plan(SpecReader.read(toJsonValue(JSON.readTree("""
                {"ociVersion": "1.2.0", "process": {"args": ["sh"], "cwd": "/"}, "root": {"path": "rootfs"},
                 "mounts": [{"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup"}],
                 "linux": {"namespaces": [{"type": "mount"}, {"type": "user"}]}}"""))), BUNDLE, false, "c1",
                java.util.Map.of("", "/sys/fs/cgroup/user/shell"));
        MountStep.Bind bind = assertInstanceOf(MountStep.Bind.class, p.mounts().get(0));
        assertEquals("/sys/fs/cgroup/user/shell", bind.source());
    }

    @Test
    void theMountLabelBecomesAContextOptionOfTheFilesystemsRuncLabels() {
        MountStep.Filesystem tmpfs = new MountStep.Filesystem("tmpfs", "tmpfs", "/dev", List.of("mode=755"), 0, 0, false, "/mounts/1");
        MountStep.Filesystem proc = new MountStep.Filesystem("proc", "proc", "/proc", List.of(), 0, 0, false, "/mounts/0");
        MountStep.Bind bind = new MountStep.Bind("/src", "/dst", true, true, 0, 0, 0, false, "/mounts/2");
        List<MountStep> labelled = ContainerPlanner.labelMounts(List.of(proc, tmpfs, bind), "system_u:object_r:c:s0:c1,c2");
        assertEquals(proc, labelled.get(0));
        assertEquals(List.of("mode=755", "context=system_u:object_r:c:s0:c1,c2"),
                ((MountStep.Filesystem) labelled.get(1)).data());
        assertEquals(bind, labelled.get(2));
        assertEquals(List.of(proc, tmpfs), ContainerPlanner.labelMounts(List.of(proc, tmpfs), null));
    }
}
