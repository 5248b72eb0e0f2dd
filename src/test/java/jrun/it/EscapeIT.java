package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jrun.linux.seccomp.HardeningBundles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the escape defences must still allow. The attacks themselves are the named tests of
 * conformance/escapes/ (one per class, run by {@link EscapesSuiteIT}).
 */
class EscapeIT {
    @TempDir
    Path tmp;

    /**
     * A bind onto a file lxcfs emulates (/proc/meminfo) stays allowed, as in runc: the refusal of
     * every other mount onto procfs (conformance/escapes/tests/cve-2019-19921) must not catch it.
     */
    @Test
    void aBindOntoAFileLxcfsEmulatesIsAllowed() throws Exception {
        Path volume = Files.createDirectories(tmp.resolve("volume"));
        Files.writeString(volume.resolve("meminfo"), "MemTotal: fake\n");
        Path lxcfs = HardeningBundles.runcDefault(tmp.resolve("lxcfs"), List.of("cat", "/proc/meminfo"), c -> {
            ObjectNode m = ((ArrayNode) c.get("mounts")).addObject();
            m.put("destination", "/proc/meminfo").put("type", "bind").put("source", volume.resolve("meminfo").toString());
            m.putArray("options").add("bind").add("ro");
        });
        assertEquals("MemTotal: fake\n", new Jrun(tmp.resolve("root")).run("run", "-b", lxcfs.toString(),
                Sandbox.uniqueId("lxcfs-meminfo")).ok().stdout());
    }
}
