package jrun.it;

import java.util.List;
import java.util.stream.Stream;
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
        return PodmanIT.ConformanceScript.run(CgroupV2IT.scriptWrapper("rootlessPodmanDrivesJrun"), SCRIPT,
                List.of("--cgroup-v2-part"), CLIENTS);
    }
}
