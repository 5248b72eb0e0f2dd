package jrun.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jrun.linux.FakeHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostChecksTest {
    private static List<String> check(FakeHost host, Path bundle, String config) {
        return HostChecks.run(JsonTrees.parse(config.getBytes(), "config.json"), bundle, host.probe()).stream()
                .map(HostCheck::toString).toList();
    }

    private static String line(List<String> lines, String item) {
        return lines.stream().filter(l -> l.substring(6).startsWith(item + ": ")).findFirst()
                .orElseThrow(() -> new AssertionError(item + " not reported in " + lines));
    }

    @Test
    void minimalConfigOnAFullHostIsAllOk(@TempDir Path dir) throws Exception {
        Path bundle = Files.createDirectories(dir.resolve("bundle"));
        Files.createDirectories(bundle.resolve("rootfs"));
        List<String> lines = check(new FakeHost(dir.resolve("host")), bundle,
                "{\"root\": {\"path\": \"rootfs\"}, \"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"network\"}]}}");
        assertEquals(List.of(
                "ok    rootfs: " + bundle.resolve("rootfs") + " is a directory",
                "ok    namespace pid: supported (/proc/self/ns/pid)",
                "ok    namespace network: supported (/proc/self/ns/net)",
                "ok    cgroups: hybrid: v1 controllers cpu, cpuacct, memory, devices; v2 at /sys/fs/cgroup/unified with hugetlb",
                "ok    seccomp: not requested (the kernel supports it)",
                "ok    apparmor: no profile requested (AppArmor is not enabled on this host)",
                "ok    selinux: no label requested (SELinux is not enabled on this host)"), lines);
    }

    @Test
    void lsmRequestsFailWithoutTheLsm(@TempDir Path dir) {
        List<String> lines = check(new FakeHost(dir), dir, "{\"process\": {\"apparmorProfile\": \"docker-default\","
                + " \"selinuxLabel\": \"system_u:system_r:container_t:s0\"}, \"linux\": {\"mountLabel\": \"x\"}}");
        assertEquals("FAIL  apparmor: process.apparmorProfile asks for profile \"docker-default\", but AppArmor is not "
                + "enabled on this host", line(lines, "apparmor"));
        assertEquals("FAIL  selinux: process.selinuxLabel and linux.mountLabel ask for an SELinux label, but SELinux is "
                + "not enabled on this host", line(lines, "selinux"));
        assertEquals("FAIL  rootfs: root.path is not set, so there is no root filesystem", line(lines, "rootfs"));
    }

    @Test
    void lsmRequestsPassWithTheLsm(@TempDir Path dir) {
        FakeHost host = new FakeHost(dir).file("/sys/kernel/security/lsm", "capability,apparmor,selinux\n");
        List<String> lines = check(host, dir, "{\"process\": {\"apparmorProfile\": \"p\", \"selinuxLabel\": \"l\"}}");
        assertTrue(line(lines, "apparmor").startsWith("ok    "));
        assertTrue(line(lines, "selinux").startsWith("ok    "));
    }

    @Test
    void namespacesTheKernelLacksOrPathsThatDoNotExistFail(@TempDir Path dir) {
        FakeHost host = new FakeHost(dir).remove("/proc/self/ns/time").file("/run/netns/blue", "");
        List<String> lines = check(host, dir, "{\"linux\": {\"namespaces\": [{\"type\": \"time\"}, "
                + "{\"type\": \"network\", \"path\": \"/run/netns/blue\"}, {\"type\": \"ipc\", \"path\": \"/run/ipc/none\"}]}}");
        assertEquals("FAIL  namespace time: the kernel has no time namespaces (/proc/self/ns/time is missing)", line(lines, "namespace time"));
        assertEquals("ok    namespace network: joins /run/netns/blue", line(lines, "namespace network"));
        assertEquals("FAIL  namespace ipc: the namespace to join, /run/ipc/none, does not exist", line(lines, "namespace ipc"));
    }

    @Test
    void userNamespacesDisabledBySysctlFail(@TempDir Path dir) {
        FakeHost host = new FakeHost(dir).file("/proc/sys/user/max_user_namespaces", "0\n");
        List<String> lines = check(host, dir, "{\"linux\": {\"namespaces\": [{\"type\": \"user\"}]}}");
        assertEquals("FAIL  user namespaces: creating them is disabled: /proc/sys/user/max_user_namespaces is 0",
                line(lines, "user namespaces"));
        host.file("/proc/sys/user/max_user_namespaces", "15000\n");
        assertEquals("ok    user namespaces: up to 15000 may be created (/proc/sys/user/max_user_namespaces)",
                line(check(host, dir, "{\"linux\": {\"namespaces\": [{\"type\": \"user\"}]}}"), "user namespaces"));
    }

    @Test
    void timeOffsetsNeedKernelSupport(@TempDir Path dir) {
        FakeHost host = new FakeHost(dir).remove("/proc/self/timens_offsets");
        List<String> lines = check(host, dir, "{\"linux\": {\"namespaces\": [{\"type\": \"time\"}],"
                + " \"timeOffsets\": {\"monotonic\": {\"secs\": 1}}}}");
        assertTrue(line(lines, "time namespace offsets").startsWith("FAIL  time namespace offsets: linux.timeOffsets is set"),
                lines.toString());
    }

    @Test
    void controllersAreCheckedForEachResource(@TempDir Path dir) {
        List<String> lines = check(new FakeHost(dir), dir, """
                {"linux": {"resources": {"memory": {"limit": 1000000}, "cpu": {"cpus": "0"}, "pids": {"limit": 10},
                 "hugepageLimits": [{"pageSize": "2MB", "limit": 0}], "network": {"classID": 1},
                 "unified": {"hugetlb.2MB.max": "0", "memory.high": "1G", "cgroup.freeze": "0"}}}}
                """);
        assertEquals("ok    cgroup controller memory: available (v1, /sys/fs/cgroup/memory); needed by linux.resources.memory",
                line(lines, "cgroup controller memory"));
        assertEquals("FAIL  cgroup controller cpuset: needed by linux.resources.cpu.cpus, but this host has no cpuset "
                + "controller mounted or enabled", line(lines, "cgroup controller cpuset"));
        assertTrue(line(lines, "cgroup controller pids").startsWith("FAIL  "));
        assertEquals("ok    cgroup controller hugetlb: available (v2, /sys/fs/cgroup/unified); needed by linux.resources.hugepageLimits",
                line(lines, "cgroup controller hugetlb"));
        assertTrue(line(lines, "cgroup controller net_cls").startsWith("FAIL  "));
        assertTrue(line(lines, "cgroup v2 file hugetlb.2MB.max").startsWith("ok    "));
        assertEquals("FAIL  cgroup v2 file memory.high: controller memory is not available in the v2 hierarchy at "
                + "/sys/fs/cgroup/unified (it offers hugetlb)", line(lines, "cgroup v2 file memory.high"));
        assertTrue(line(lines, "cgroup v2 file cgroup.freeze").startsWith("ok    "));
    }

    @Test
    void unifiedNeedsAV2HierarchyAndDevicesNeedNoControllerOnV2(@TempDir Path dir) {
        FakeHost host = new FakeHost(dir);
        String v1Only = FakeHost.HYBRID_MOUNTINFO.lines().filter(l -> !l.contains("cgroup2")).reduce("", (a, b) -> a + b + "\n");
        host.file("/proc/self/mountinfo", v1Only);
        assertEquals("FAIL  cgroup v2: linux.resources.unified sets cgroup v2 files, but this host has no cgroup v2 hierarchy",
                line(check(host, dir, "{\"linux\": {\"resources\": {\"unified\": {\"memory.max\": \"1\"}}}}"), "cgroup v2"));
        host.file("/proc/self/mountinfo", FakeHost.V2_MOUNTINFO).file("/sys/fs/cgroup/cgroup.controllers", "memory pids\n");
        assertEquals("ok    cgroup controller devices: cgroup v2 filters devices with eBPF (needed by linux.resources.devices)",
                line(check(host, dir, "{\"linux\": {\"resources\": {\"devices\": [{\"allow\": false}]}}}"), "cgroup controller devices"));
        host.file("/proc/self/mountinfo", "");
        assertEquals("FAIL  cgroups: no cgroup file system is mounted (see /proc/self/mountinfo)", line(check(host, dir, "{}"), "cgroups"));
    }

    @Test
    void seccompNeedsKernelActionsAndLibseccomp(@TempDir Path dir) {
        FakeHost host = new FakeHost(dir).file("/proc/sys/kernel/seccomp/actions_avail", "kill_thread trap errno trace allow\n");
        String config = "{\"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
                + "[{\"names\": [\"read\"], \"action\": \"SCMP_ACT_LOG\"}]}}}";
        List<String> lines = check(host, dir, config);
        assertEquals("ok    seccomp: supported by the kernel", line(lines, "seccomp"));
        assertEquals("ok    seccomp action SCMP_ACT_ERRNO: the kernel supports errno", line(lines, "seccomp action SCMP_ACT_ERRNO"));
        assertEquals("FAIL  seccomp action SCMP_ACT_LOG: the kernel lacks the log action (/proc/sys/kernel/seccomp/actions_avail: "
                + "kill_thread trap errno trace allow)", line(lines, "seccomp action SCMP_ACT_LOG"));
        assertTrue(line(lines, "libseccomp").startsWith("FAIL  libseccomp: linux.seccomp is set, but libseccomp.so.2 is not installed"));
        host.file("/lib/x86_64-linux-gnu/libseccomp.so.2", "").file("/lib/aarch64-linux-gnu/libseccomp.so.2", "");
        assertTrue(line(check(host, dir, config), "libseccomp").startsWith("ok    libseccomp: found /lib/"));
        host.file("/proc/self/status", "Name:\tjava\n");
        assertEquals("FAIL  seccomp: linux.seccomp is set, but the kernel has no seccomp support (no Seccomp field in /proc/self/status)",
                line(check(host, dir, config), "seccomp"));
    }
}
