package jrun.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import jrun.json.JsonReader;
import jrun.json.JsonValue;
import org.junit.jupiter.api.Test;

class ShimAddressTest {
    @Test
    void socketIsNamedAsContainerd16NamesIt() {
        // What runc's shim (containerd 1.6.20) bound for container r1 of namespace default on a
        // containerd at /tmp/shimdev/c.sock: /run/containerd/s/ + sha256("/tmp/shimdev/c.sock/default/r1").
        assertEquals(Path.of("/run/containerd/s/58f75d049a66ef6170d167cdcc812a7221e31460c5017b3b617132c2272b987f"),
                ShimAddress.socketPath("/tmp/shimdev/c.sock", "default", "r1"));
        assertEquals("unix:///run/containerd/s/x", ShimAddress.uri(Path.of("/run/containerd/s/x")));
    }

    @Test
    void pathsAreCleanedAsGoJoinCleansThem() {
        assertEquals(ShimAddress.socketPath("/tmp/shimdev/c.sock", "default", "r1"),
                ShimAddress.socketPath("/tmp//shimdev/./c.sock/", "default", "r1"));
    }

    @Test
    void groupIsTheFirstGroupLabelElseTheId() throws Exception {
        assertEquals("c1", ShimAddress.group("c1", null));
        assertEquals("c1", ShimAddress.group("c1", json("{\"other\":\"x\"}")));
        assertEquals("pod", ShimAddress.group("c1", json("{\"io.kubernetes.cri.sandbox-id\":\"pod\"}")));
        assertEquals("g", ShimAddress.group("c1",
                json("{\"io.kubernetes.cri.sandbox-id\":\"pod\",\"io.containerd.runc.v2.group\":\"g\"}")));
    }

    private static JsonValue json(String s) throws Exception {
        return JsonReader.read(s.getBytes(StandardCharsets.UTF_8));
    }
}
