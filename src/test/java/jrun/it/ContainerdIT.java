package jrun.it;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A private containerd, its runc shim and ctr driving jrun as they drive runc: runs
 * {@code conformance/containerd/run} against the jrun under test; each of its checks becomes a
 * test.
 */
class ContainerdIT {
    @TestFactory
    Stream<DynamicTest> containerdDrivesJrun() {
        return PodmanIT.ConformanceScript.run("conformance/containerd/run", "containerd", "ctr",
                "containerd-shim-runc-v2");
    }
}
