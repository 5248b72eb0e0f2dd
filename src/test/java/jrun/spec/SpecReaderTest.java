package jrun.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import jrun.base.JrunException;
import jrun.json.JsonValue;
import org.junit.jupiter.api.Test;

class SpecReaderTest {
    private static final Spec FULL = SpecReader.read(FullConfig.tree());

    private static JsonValue json(String text) {
        return FullConfig.parse(text);
    }

    private static String error(String config) {
        return assertThrows(JrunException.class, () -> SpecReader.read(json(config))).getMessage();
    }

    @Test
    void readsTopLevelFields() {
        assertEquals("1.2.0", FULL.ociVersion());
        assertEquals(new Root("rootfs", true, Map.of("x-root", json("\"r\""))), FULL.root());
        assertEquals("box", FULL.hostname());
        assertEquals("example.org", FULL.domainname());
        assertEquals(List.of("org.example/key", "b"), List.copyOf(FULL.annotations().keySet()), "file order");
        assertEquals("value", FULL.annotations().get("org.example/key"));
    }

    @Test
    void readsProcess() {
        ProcessSpec p = FULL.process();
        assertTrue(p.terminal());
        assertEquals(25, p.consoleSize().height());
        assertEquals(80, p.consoleSize().width());
        assertEquals(1000, p.user().uid());
        assertEquals(1001, p.user().gid());
        assertEquals(18L, p.user().umask());
        assertEquals(List.of(5L, 4294967295L), p.user().additionalGids());
        assertEquals("alice", p.user().username());
        assertEquals(List.of("/bin/sh", "-c", "echo hi"), p.args());
        assertEquals("cmd.exe /c echo hi", p.commandLine());
        assertEquals(List.of("PATH=/bin", "TERM=xterm"), p.env());
        assertEquals("/work", p.cwd());
        assertEquals(List.of("CAP_KILL", "CAP_CHOWN"), p.capabilities().bounding());
        assertEquals(List.of("CAP_KILL"), p.capabilities().effective());
        assertEquals(List.of("CAP_SETUID"), p.capabilities().inheritable());
        assertEquals(List.of("CAP_KILL", "CAP_SETGID"), p.capabilities().permitted());
        assertEquals(List.of("CAP_NET_RAW"), p.capabilities().ambient());
        assertTrue(p.noNewPrivileges());
        assertEquals("jrun-default", p.apparmorProfile());
        assertEquals(-500L, p.oomScoreAdj());
        assertEquals("system_u:system_r:container_t:s0", p.selinuxLabel());
        assertEquals(new ProcessSpec.IoPriority("IOPRIO_CLASS_BE", 4, Map.of()), p.ioPriority());
        assertEquals(new ProcessSpec.CpuAffinity("0-1", "2-3,7", Map.of()), p.execCPUAffinity());
        assertEquals(new ProcessSpec.Scheduler("SCHED_DEADLINE", -5, 10, List.of("SCHED_FLAG_RESET_ON_FORK"),
                10_000_000, 20_000_000, 30_000_000, Map.of()), p.scheduler());
    }

    @Test
    void uint64AboveLongMaxIsKeptAsTwosComplement() {
        List<ProcessSpec.Rlimit> rlimits = FULL.process().rlimits();
        assertEquals(new ProcessSpec.Rlimit("RLIMIT_NOFILE", -1L, 1024), rlimits.get(0), "RLIM_INFINITY is -1");
        assertEquals(Long.MIN_VALUE, rlimits.get(1).hard());
        assertEquals("9223372036854775808", Long.toUnsignedString(rlimits.get(1).hard()));
        assertEquals(-1L, FULL.linux().seccomp().syscalls().get(1).args().get(0).value());
    }

    @Test
    void readsMountsAndHooks() {
        assertEquals(new Mount("/proc", "proc", "proc", List.of()), FULL.mounts().get(0));
        Mount data = FULL.mounts().get(1);
        assertEquals(List.of("rbind", "ro"), data.options());
        assertEquals(List.of(new IdMapping(0, 100000, 65536)), data.uidMappings());
        assertEquals(200000, data.gidMappings().get(0).hostID());

        Hooks h = FULL.hooks();
        assertEquals(new Hook("/usr/bin/pre", List.of("pre", "a"), List.of("A=1"), 5L, Map.of()), h.prestart().get(0));
        assertEquals("/usr/bin/cr", h.createRuntime().get(0).path());
        assertNull(h.createRuntime().get(0).timeout());
        assertEquals(List.of("cc"), h.createContainer().get(0).args());
        assertEquals(List.of("B=2"), h.startContainer().get(0).env());
        assertEquals(1L, h.poststart().get(0).timeout());
        assertEquals(List.of("/usr/bin/pst", "/usr/bin/pst2"), h.poststop().stream().map(Hook::path).toList());
    }

    @Test
    void readsLinuxSection() {
        Linux l = FULL.linux();
        assertEquals(List.of(new IdMapping(0, 1000, 1)), l.uidMappings());
        assertEquals(List.of(new IdMapping(0, 1001, 1)), l.gidMappings());
        assertEquals(Map.of("net.ipv4.ip_forward", "1", "kernel.shmmax", "4096"), l.sysctl());
        assertEquals("/jrun/box", l.cgroupsPath());
        assertEquals(List.of(new Linux.Namespace("pid"), new Linux.Namespace("network", "/var/run/netns/box", Map.of()),
                new Linux.Namespace("time")), l.namespaces());
        assertEquals(new Linux.Device("/dev/fuse", "c", 10, 229, 438L, 0L, 0L, Map.of()), l.devices().get(0));
        assertEquals(Map.of("eth1", new Linux.NetDevice("ctr1", Map.of()), "eth2", new Linux.NetDevice(null, Map.of())),
                l.netDevices());
        assertEquals("rslave", l.rootfsPropagation());
        assertEquals(List.of("/proc/kcore", "/sys/firmware"), l.maskedPaths());
        assertEquals(List.of("/proc/sys"), l.readonlyPaths());
        assertEquals("system_u:object_r:container_file_t:s0", l.mountLabel());
        assertEquals(new Linux.IntelRdt("guaranteed", List.of("L3:0=ff", "MB:0=50"), "L3:0=ffff", "MB:0=70",
                true, true, true, Map.of()), l.intelRdt());
        assertEquals(new Linux.MemoryPolicy("MPOL_BIND", "0-1", List.of("MPOL_F_STATIC_NODES"), Map.of()),
                l.memoryPolicy());
        assertEquals(new Linux.Personality("LINUX32", List.of("FLAG"), Map.of()), l.personality());
        assertEquals(new Linux.TimeOffset(-86400, 500, Map.of()), l.timeOffsets().get("monotonic"));
        assertEquals(new Linux.TimeOffset(3600, 0, Map.of()), l.timeOffsets().get("boottime"));
    }

    @Test
    void readsResources() {
        Resources r = FULL.linux().resources();
        assertEquals(List.of(new Resources.DeviceRule(false, null, null, null, "rwm", Map.of()),
                new Resources.DeviceRule(true, "c", 1L, 3L, "rw", Map.of())), r.devices());
        assertEquals(new Resources.Memory(536870912L, 268435456L, -1L, 1048576L, 2097152L, 60L, false, true, true,
                Map.of()), r.memory());
        assertEquals(new Resources.Cpu(1024L, 50000L, 10000L, 100000L, 950000L, 1000000L, "0-3", "0", 1L, Map.of()),
                r.cpu());
        assertEquals(100L, r.pids().limit());
        Resources.BlockIo b = r.blockIO();
        assertEquals(500L, b.weight());
        assertEquals(300L, b.leafWeight());
        assertEquals(List.of(new Resources.WeightDevice(8, 0, 600L, 200L, Map.of())), b.weightDevice());
        assertEquals(new Resources.ThrottleDevice(8, 0, 1048576, Map.of()), b.throttleReadBpsDevice().get(0));
        assertEquals(16, b.throttleWriteBpsDevice().get(0).minor());
        assertEquals(100, b.throttleReadIOPSDevice().get(0).rate());
        assertEquals(200, b.throttleWriteIOPSDevice().get(0).rate());
        assertEquals(List.of(new Resources.HugepageLimit("2MB", 209715200, Map.of())), r.hugepageLimits());
        assertEquals(1048577L, r.network().classID());
        assertEquals(new Resources.InterfacePriority("eth0", 500, Map.of()), r.network().priorities().get(0));
        assertEquals(Map.of("mlx5_1", new Resources.Rdma(3L, 10000L, Map.of())), r.rdma());
        assertEquals(List.of("memory.high", "io.weight"), List.copyOf(r.unified().keySet()));
    }

    @Test
    void readsSeccomp() {
        Seccomp s = FULL.linux().seccomp();
        assertEquals("SCMP_ACT_ERRNO", s.defaultAction());
        assertEquals(1L, s.defaultErrnoRet());
        assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"), s.architectures());
        assertEquals(List.of("SECCOMP_FILTER_FLAG_LOG"), s.flags());
        assertEquals("/run/seccomp.sock", s.listenerPath());
        assertEquals("meta", s.listenerMetadata());
        assertEquals(new Seccomp.Syscall(List.of("read", "write"), "SCMP_ACT_ALLOW", null, List.of(), Map.of()),
                s.syscalls().get(0));
        Seccomp.Syscall personality = s.syscalls().get(1);
        assertEquals(38L, personality.errnoRet());
        Seccomp.Arg masked = personality.args().get(1);
        assertEquals(1, masked.index());
        assertEquals(255, masked.value());
        assertEquals(8, masked.valueTwo());
        assertEquals("SCMP_CMP_MASKED_EQ", masked.op());
        assertEquals(0, personality.args().get(0).valueTwo(), "absent plain number reads as 0");
    }

    @Test
    void unknownFieldsAreKeptAtEveryLevel() {
        assertEquals(List.of("windows", "x-top"), List.copyOf(FULL.extra().keySet()));
        assertEquals(json("[1, \"two\", {\"three\": 3}]"), FULL.extra().get("x-top"));
        assertEquals(json("{\"nested\": [1, 2]}"), FULL.process().extra().get("x-process"));
        assertEquals(json("1"), FULL.process().user().extra().get("x-user"));
        assertTrue(FULL.mounts().get(1).extra().get("x-mount").isNull(), "an explicit null is kept");
        assertEquals(json("true"), FULL.mounts().get(1).gidMappings().get(0).extra().get("x-map"));
        assertEquals(json("\"h\""), FULL.hooks().poststop().get(0).extra().get("x-hook"));
        assertEquals(json("[]"), FULL.hooks().extra().get("x-hooks"));
        assertEquals(json("{\"a\": \"b\"}"), FULL.linux().extra().get("x-linux"));
        assertEquals(json("7"), FULL.linux().resources().extra().get("x-resources"));
        assertEquals(json("\"a\""), FULL.linux().seccomp().syscalls().get(1).args().get(1).extra().get("x-arg"));
        assertTrue(FULL.process().capabilities().extra().isEmpty());
    }

    @Test
    void unknownFieldsAreCopiedFromTheTree() {
        JsonValue tree = json("{\"ociVersion\": \"1.2.0\", \"x\": {\"a\": 1}}");
        Spec spec = SpecReader.read(tree);
        // The tree cannot be changed afterwards, so the spec's copy of it cannot change either.
        assertThrows(UnsupportedOperationException.class, () -> tree.get("x").properties().clear());
        assertEquals(json("{\"a\": 1}"), spec.extra().get("x"));
    }

    @Test
    void absentFieldsAreNullOrEmptyOrZero() {
        Spec spec = SpecReader.read(json("""
                {"ociVersion": "1.0.0", "process": {"cwd": "/"}, "linux": {"resources": {"memory": {}}},
                 "hostname": null}"""));
        assertNull(spec.root());
        assertNull(spec.hostname(), "JSON null counts as absent");
        assertNull(spec.hooks());
        assertEquals(List.of(), spec.mounts());
        assertEquals(Map.of(), spec.annotations());
        assertEquals(Map.of(), spec.extra());
        ProcessSpec p = spec.process();
        assertFalse(p.terminal());
        assertEquals(new ProcessSpec.User(0, 0), p.user(), "an absent user is root, as Go reads it");
        assertEquals(List.of(), p.args());
        assertNull(p.capabilities());
        assertNull(p.oomScoreAdj());
        Linux l = spec.linux();
        assertEquals(List.of(), l.namespaces());
        assertEquals(Map.of(), l.sysctl());
        assertNull(l.seccomp());
        Resources.Memory m = l.resources().memory();
        assertNull(m.limit());
        assertNull(m.disableOOMKiller());
        assertNull(l.resources().pids());
    }

    @Test
    void wrongTypesNameTheJsonPointer() {
        assertEquals("config.json: /process/args/0: expected a string, found 5",
                error("{\"process\": {\"args\": [5]}}"));
        assertEquals("config.json: /process/args: expected an array, found a string",
                error("{\"process\": {\"args\": \"sh\"}}"));
        assertEquals("config.json: /linux/resources/memory/limit: expected a 64-bit integer, found a string",
                error("{\"linux\": {\"resources\": {\"memory\": {\"limit\": \"1G\"}}}}"));
        assertEquals("config.json: /process/terminal: expected a boolean, found a string",
                error("{\"process\": {\"terminal\": \"yes\"}}"));
        assertEquals("config.json: /root: expected an object, found an array", error("{\"root\": []}"));
        assertEquals("config.json: /mounts/1/uidMappings/0/size: expected an unsigned 32-bit integer, found -1",
                error("{\"mounts\": [{}, {\"uidMappings\": [{\"size\": -1}]}]}"));
        assertEquals("config.json: expected an object, found an array", error("[]"));
    }

    @Test
    void pointersEscapeSlashAndTilde() {
        assertEquals("config.json: /annotations/a~1b~0c: expected a string, found true",
                error("{\"annotations\": {\"a/b~c\": true}}"));
        assertEquals("config.json: /linux/netDevices/eth0: expected an object, found a string",
                error("{\"linux\": {\"netDevices\": {\"eth0\": \"x\"}}}"));
    }

    @Test
    void numbersAreCheckedAgainstTheirGoType() {
        assertTrue(error("{\"linux\": {\"resources\": {\"blockIO\": {\"weight\": 65536}}}}")
                .endsWith("/linux/resources/blockIO/weight: expected an unsigned 16-bit integer, found 65536"));
        assertTrue(error("{\"process\": {\"user\": {\"uid\": 4294967296}}}")
                .endsWith("/process/user/uid: expected an unsigned 32-bit integer, found 4294967296"));
        assertTrue(error("{\"process\": {\"rlimits\": [{\"hard\": 18446744073709551616}]}}")
                .endsWith("expected an unsigned 64-bit integer, found 18446744073709551616"));
        assertTrue(error("{\"process\": {\"rlimits\": [{\"soft\": -1}]}}")
                .endsWith("/process/rlimits/0/soft: expected an unsigned 64-bit integer, found -1"));
        assertTrue(error("{\"process\": {\"oomScoreAdj\": 1.5}}")
                .endsWith("/process/oomScoreAdj: expected a 64-bit integer, found 1.5"));
        assertTrue(error("{\"process\": {\"scheduler\": {\"nice\": 2147483648}}}")
                .endsWith("/process/scheduler/nice: expected a 32-bit integer, found 2147483648"));
        assertTrue(error("{\"process\": {\"env\": [null]}}").endsWith("/process/env/0: expected a value, found null"));
    }

    @Test
    void readsAProcessOnItsOwn() {
        ProcessSpec p = SpecReader.readProcess(json("{\"args\": [\"ps\"], \"cwd\": \"/\", \"user\": {\"uid\": 7}}"),
                "process.json");
        assertEquals(List.of("ps"), p.args());
        assertEquals(7, p.user().uid());
        assertEquals("process.json: /cwd: expected a string, found 1",
                assertThrows(JrunException.class, () -> SpecReader.readProcess(json("{\"cwd\": 1}"), "process.json"))
                        .getMessage());
    }

    @Test
    void modelIsImmutable() {
        assertThrows(UnsupportedOperationException.class, () -> FULL.mounts().add(null));
        assertThrows(UnsupportedOperationException.class, () -> FULL.annotations().put("k", "v"));
        assertThrows(UnsupportedOperationException.class, () -> FULL.extra().clear());
        List<String> args = new java.util.ArrayList<>(List.of("a"));
        Hook hook = new Hook("/bin/x", args, null, null, null);
        args.add("b");
        assertEquals(List.of("a"), hook.args(), "lists are copied");
        assertEquals(List.of(), hook.env(), "null lists become empty");
        assertEquals(Map.of(), hook.extra(), "null maps become empty");
    }
}
