package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What jrun itself does on the host for a container (issue 16) beyond the named attacks of
 * conformance/escapes/ (the pid file, preserved fds, host devices read, the /proc race: run by
 * {@link EscapesSuiteIT}): rootfs files read inside the root, procfs and sysfs refused where
 * the image put a symlink.
 */
class HostSideEscapeIT {
    @TempDir
    Path tmp;
    // Unique: an id names the container's cgroup /jrun/ID, which is machine-wide, so two
    // runs of the suite at once would share it.
    private final String passwdLinkId = Sandbox.uniqueId("passwd-link");

    private Jrun jrun() {
        return new Jrun(tmp.resolve("root"));
    }

    // ---- files jrun reads from the rootfs: /etc/passwd for HOME ----

    /** A symlink at /etc/passwd to a host path: resolved inside the rootfs, never on the host. */
    @Test
    void aSymlinkAtEtcPasswdResolvesInsideTheRootfs() throws Exception {
        Path hostFile = Files.writeString(tmp.resolve("host-passwd"), "root:x:0:0:root:/host-symlink-home:/bin/sh\n");
        Path bundle = homeBundle("link");
        Path passwd = bundle.resolve("rootfs/etc/passwd");
        Files.delete(passwd);
        Files.createSymbolicLink(passwd, hostFile);
        assertEquals("HOME=/", jrun().run("run", "-b", bundle.toString(), passwdLinkId).ok().stdout().strip());
    }

    /**
     * exec reads /etc/passwd as the container sees it now, through its root: a tmpfs the
     * container mounted on /etc with its own passwd gives HOME (a device node swapped in there is
     * conformance/escapes/tests/host-device-read).
     */
    @Test
    void execReadsEtcPasswdThroughTheContainersRoot() throws Exception {
        Path bundle = homeBundle("exec", c -> {
            Configs.addMount(c, "/etc", "tmpfs", "tmpfs");
            Configs.process(c).putArray("args").add("sleep").add("60");
        });
        String id = Sandbox.uniqueId("passwd-exec");
        try {
            jrun().run("run", "-d", "-b", bundle.toString(), id).ok();
            int pid = Bundles.parse(jrun().run("state", id).ok().stdout()).path("pid").asInt();
            Path etc = Path.of("/proc/" + pid + "/root/etc");
            Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/container-view-home:/bin/sh\n");
            assertEquals("HOME=/container-view-home",
                    jrun().run("exec", id, "sh", "-c", "echo HOME=$HOME").ok().stdout().strip());
        } finally {
            jrun().run("delete", "-f", id);
        }
    }

    /** A bundle whose process prints HOME, which its environment leaves to jrun's passwd lookup. */
    private Path homeBundle(String name, java.util.function.Consumer<ObjectNode> edit) {
        return Bundles.create(tmp.resolve(name), List.of("sh", "-c", "echo HOME=$HOME"), c -> {
            ArrayNode env = (ArrayNode) Configs.process(c).get("env");
            for (int i = env.size() - 1; i >= 0; i--) {
                if (env.get(i).asString().startsWith("HOME=")) {
                    env.remove(i);
                }
            }
            edit.accept(c);
        });
    }

    private Path homeBundle(String name) {
        return homeBundle(name, c -> { });
    }

    // ---- the /proc race: procfs mounted through a swapped-in symlink, masks on a decoy ----

    /**
     * The race's end states, without a race: an image whose /proc or /sys is a symlink (here to
     * a directory of its own) gets no procfs or sysfs through it; the create fails naming the
     * mount, as runc's does ("must be mounted on ordinary directory").
     */
    @Test
    void aSymlinkWhereProcfsOrSysfsGoesIsRefused() throws Exception {
        for (String dir : List.of("proc", "sys")) {
            Path bundle = jrun.linux.seccomp.HardeningBundles.runcDefault(tmp.resolve("link-" + dir), List.of("true"), c -> { });
            Path rootfs = bundle.resolve("rootfs");
            Files.createDirectories(rootfs.resolve("decoy"));
            Files.deleteIfExists(rootfs.resolve(dir));
            Files.createSymbolicLink(rootfs.resolve(dir), Path.of("/decoy"));
            Jrun.Result r = jrun().run("run", "-b", bundle.toString(), Sandbox.uniqueId("link-" + dir));
            assertEquals(1, r.exit(), r.stdout() + r.stderr());
            assertTrue(r.stderr().contains("at /" + dir + " (config.json /mounts/")
                    && r.stderr().contains("symbolic link"), r.stderr());
        }
    }
}
