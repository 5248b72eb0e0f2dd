package jrun.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShimFlagsTest {
    @Test
    void containerdsStartCommandLine() {
        // runtime/v2/binary.go (1.6): -namespace NS -address A -publish-binary B -id ID [-debug] start
        ShimFlags f = ShimFlags.parse(List.of("-namespace", "default", "-address", "/run/containerd/containerd.sock",
                "-publish-binary", "/usr/bin/containerd", "-id", "c1", "-debug", "start"));
        assertEquals("default", f.namespace());
        assertEquals("/run/containerd/containerd.sock", f.address());
        assertEquals("/usr/bin/containerd", f.publishBinary());
        assertEquals("c1", f.id());
        assertTrue(f.debug());
        assertEquals("start", f.action());
    }

    @Test
    void goFlagSpellingsAndServeMode() {
        ShimFlags f = ShimFlags.parse(List.of("--namespace=k8s.io", "-id=c2", "-bundle", "/b", "-socket", "/s"));
        assertEquals("k8s.io", f.namespace());
        assertEquals("c2", f.id());
        assertEquals("/b", f.bundle());
        assertEquals("/s", f.socket());
        assertEquals("", f.action());
        assertEquals("containerd", f.publishBinary());
    }

    @Test
    void unknownFlagsAndMissingValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ShimFlags.parse(List.of("-bogus", "x", "start")));
        assertThrows(IllegalArgumentException.class, () -> ShimFlags.parse(List.of("-id")));
    }
}
