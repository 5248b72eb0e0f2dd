package jrun.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fake /proc and /sys tree for {@link HostProbe}. */
public final class FakeHost {
    public static final String HYBRID_MOUNTINFO = """
            22 1 259:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
            40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;
    public static final String V2_MOUNTINFO = """
            22 1 259:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw
            30 23 0:27 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate
            """;
    public static final String PROC_CGROUPS = """
            #subsys_name	hierarchy	num_cgroups	enabled
            cpu	1	1	1
            cpuacct	1	1	1
            memory	4	38	1
            devices	5	1	1
            net_cls	0	1	1
            hugetlb	0	1	1
            rdma	0	1	0
            """;

    public final Path root;

    public FakeHost(Path root) {
        this.root = root;
        for (String ns : new String[] {"pid", "net", "mnt", "ipc", "uts", "user", "cgroup", "time"}) {
            file("/proc/self/ns/" + ns, "");
        }
        file("/proc/self/status", "Name:\tjava\nSeccomp:\t0\nSeccomp_filters:\t0\n");
        file("/proc/sys/user/max_user_namespaces", "63414\n");
        file("/proc/self/timens_offsets", "monotonic 0 0\nboottime 0 0\n");
        file("/proc/sys/kernel/seccomp/actions_avail", "kill_process kill_thread trap errno user_notif trace log allow\n");
        file("/proc/cgroups", PROC_CGROUPS);
        file("/proc/self/mountinfo", HYBRID_MOUNTINFO);
        file("/sys/fs/cgroup/unified/cgroup.controllers", "hugetlb\n");
    }

    public FakeHost file(String absolute, String content) {
        try {
            Path p = root.resolve(absolute.substring(1));
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public FakeHost remove(String absolute) {
        try {
            Files.deleteIfExists(root.resolve(absolute.substring(1)));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HostProbe probe() {
        return new HostProbe(root);
    }
}
