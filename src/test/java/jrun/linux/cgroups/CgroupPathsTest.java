package jrun.linux.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jrun.base.JrunException;
import org.junit.jupiter.api.Test;

class CgroupPathsTest {
    private static String resolve(String path) {
        return CgroupPaths.resolve(path, "c1", "config.json: /linux/cgroupsPath");
    }

    @Test
    void anAbsolutePathIsTakenFromTheHierarchysRootNormalized() {
        assertEquals("/libpod_parent/libpod-abc", resolve("/libpod_parent/libpod-abc"));
        assertEquals("/a/b", resolve("//a/./b/"));
    }

    @Test
    void aRelativePathGoesUnderJrunsParent() {
        assertEquals("/jrun/pods/c1", resolve("pods/c1"));
    }

    @Test
    void noPathMeansJrunsParentAndTheId() {
        assertEquals("/jrun/c1", resolve(null));
        assertEquals("/jrun/c1", resolve(""));
    }

    @Test
    void systemdsSliceFormIsRefusedNamingTheFieldAndTheFlag() {
        JrunException e = assertThrows(JrunException.class, () -> resolve("system.slice:docker:abc"));
        assertTrue(e.getMessage().startsWith("config.json: /linux/cgroupsPath: \"system.slice:docker:abc\" is systemd's"),
                e.getMessage());
        assertTrue(e.getMessage().contains("--systemd-cgroup"), e.getMessage());
        assertTrue(CgroupPaths.isSystemdForm(":docker:abc"));
        assertFalse(CgroupPaths.isSystemdForm("/a:b:c"));
        assertFalse(CgroupPaths.isSystemdForm("a:b"));
    }

    @Test
    void dotDotAndTheRootItselfAreRefused() {
        assertThrows(JrunException.class, () -> resolve("/a/../../etc"));
        JrunException e = assertThrows(JrunException.class, () -> resolve("/"));
        assertTrue(e.getMessage().contains("root of the hierarchy"), e.getMessage());
    }
}
