package jrun.it;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * From an image to a running, networked, logged container: runs {@code conformance/image/run}
 * (bin/jrun-image with skopeo and umoci, bin/jrun-net with the CNI plugins through OCI hooks,
 * bin/jrun-detach with conmon) against the jrun under test; each of its checks becomes a test.
 */
class ImageIT {
    @TestFactory
    Stream<DynamicTest> imageToNetworkedLoggedContainer() {
        return PodmanIT.ConformanceScript.run("conformance/image/run", "buildah", "skopeo", "umoci", "conmon", "jq",
                "iptables", "wget");
    }
}
