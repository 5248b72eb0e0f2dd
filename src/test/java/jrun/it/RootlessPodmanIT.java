package jrun.it;

import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import jrun.linux.cgroups.CgroupHost;
import jrun.linux.cgroups.CgroupMode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Rootless podman driving jrun: an ordinary user (the test user jrunrl, with a subordinate id
 * range) runs podman with jrun as its runtime; runs {@code conformance/podman-rootless/run}
 * against the jrun under test, and each of its checks becomes a test. The script sets the user
 * up, and skips (saying why) only where the host forbids unprivileged user namespaces or lacks
 * podman's rootless helpers.
 */
class RootlessPodmanIT {
    private static final String SCRIPT = "conformance/podman-rootless/run";
    private static final String[] CLIENTS = {"podman", "conmon", "newuidmap", "newgidmap", "slirp4netns"};
    /** Within ConformanceScript's own limit: the emulated VM runs the suite several times slower. */
    private static final int VM_TIMEOUT_SECONDS = 1140;

    @TestFactory
    Stream<DynamicTest> rootlessPodmanDrivesJrun() {
        return PodmanIT.ConformanceScript.run(List.of(), SCRIPT, List.of(), CLIENTS);
    }

    /**
     * The suite's cgroup part under pure cgroup v2 in one boot of the v2 VM ({@code
     * shared/tools/cgroup2-vm}, see {@link CgroupV2IT}), where the script delegates a cgroup
     * subtree to the test user: there {@code --memory} is set (a memory hog is OOM-killed) and
     * pause/unpause work; then the leftovers. Only that part: in the emulated VM each container
     * takes long to start.
     */
    @TestFactory
    Stream<DynamicTest> rootlessPodmanDrivesJrunInADelegatedCgroupV2() {
        Assumptions.assumeFalse(CgroupHost.detect().mode() == CgroupMode.V2,
                "this host is pure cgroup v2: rootlessPodmanDrivesJrun covers the delegated v2 subtree here");
        Assumptions.assumeTrue(Files.isExecutable(CgroupV2IT.tool()),
                "no VM tool at " + CgroupV2IT.tool() + ": the rootless cgroup v2 checks cannot run on this host");
        return PodmanIT.ConformanceScript.run(List.of(CgroupV2IT.tool().toString(), "--mem", "2G", "--cpus", "2",
                "--timeout", Integer.toString(VM_TIMEOUT_SECONDS), "--"), SCRIPT, List.of("--cgroup-v2-part"), CLIENTS);
    }
}
