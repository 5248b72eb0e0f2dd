package jrun.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultSpecTest {
    private static List<String> namespaceTypes(Spec spec) {
        return spec.linux().namespaces().stream().map(Linux.Namespace::type).toList();
    }

    private static Mount mount(Spec spec, String destination) {
        return spec.mounts().stream().filter(m -> m.destination().equals(destination)).findFirst().orElseThrow();
    }

    @Test
    void isRuncsExampleWithVersion12() {
        Spec spec = DefaultSpec.create(false);
        assertEquals("1.2.0", spec.ociVersion());
        assertEquals(List.of("sh"), spec.process().args());
        assertTrue(spec.process().terminal());
        assertTrue(spec.process().noNewPrivileges());
        assertEquals(new ProcessSpec.User(0, 0), spec.process().user());
        assertEquals(List.of(new ProcessSpec.Rlimit("RLIMIT_NOFILE", 1024, 1024)), spec.process().rlimits());
        assertEquals(List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"),
                spec.process().capabilities().bounding());
        assertEquals(List.of(), spec.process().capabilities().inheritable());
        assertEquals(new Root("rootfs", true), spec.root());
        assertEquals("runc", spec.hostname());
        assertEquals(List.of("pid", "network", "ipc", "uts", "mount"), namespaceTypes(spec));
        assertEquals(List.of("/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup"),
                spec.mounts().stream().map(Mount::destination).toList());
        assertEquals("sysfs", mount(spec, "/sys").type());
        assertTrue(mount(spec, "/dev/pts").options().contains("gid=5"));
        assertEquals(List.of(), spec.linux().uidMappings());
        assertEquals("rwm", spec.linux().resources().devices().get(0).access());
        assertFalse(spec.linux().resources().devices().get(0).allow());
        assertEquals(10, spec.linux().maskedPaths().size());
        assertEquals(5, spec.linux().readonlyPaths().size());
    }

    @Test
    void rootlessMapsRootToTheCallerAndDropsWhatNeedsPrivileges() {
        Spec spec = DefaultSpec.create(true, 1234, 5678);
        assertEquals(List.of(new IdMapping(0, 1234, 1)), spec.linux().uidMappings());
        assertEquals(List.of(new IdMapping(0, 5678, 1)), spec.linux().gidMappings());
        assertEquals(List.of("pid", "ipc", "uts", "mount", "user"), namespaceTypes(spec));
        assertEquals(new Mount("/sys", "none", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", "ro")),
                mount(spec, "/sys"));
        assertFalse(mount(spec, "/dev/pts").options().contains("gid=5"));
        assertNull(spec.linux().resources());
    }

    @Test
    void rootlessUsesTheCurrentEffectiveIds() throws Exception {
        Spec spec = DefaultSpec.create(true);
        int uid = (Integer) java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid");
        assertNotNull(spec.linux());
        assertEquals(uid, spec.linux().uidMappings().get(0).hostID());
    }

    @Test
    void survivesARoundTrip() {
        for (Spec spec : List.of(DefaultSpec.create(false), DefaultSpec.create(true, 1000, 1000))) {
            assertEquals(spec, SpecReader.read(FullConfig.parse(SpecWriter.toJson(spec))));
        }
    }
}
