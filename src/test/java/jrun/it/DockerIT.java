package jrun.it;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A private dockerd (Debian's docker.io 20.10, its containerd and runc shim) driving jrun as it
 * drives runc: runs {@code conformance/docker/run} against the jrun under test; each of its
 * checks becomes a test.
 */
class DockerIT {
    @TestFactory
    Stream<DynamicTest> dockerDrivesJrun() {
        return PodmanIT.ConformanceScript.run("conformance/docker/run", "dockerd", "containerd",
                "containerd-shim-runc-v2");
    }
}
