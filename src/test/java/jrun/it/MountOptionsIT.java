package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * runc's mount options as a container's process sees them: tmpcopyup, recursive attributes,
 * idmapped bind mounts, nosymfollow and the superblock flags; the same config run by runc
 * where runc 1.1 (the one installed here) has the option, and the same output expected.
 */
class MountOptionsIT {
    private static final Path RUNC = Path.of("/usr/sbin/runc");

    @TempDir
    Path tmp;

    private Sandbox sandbox;
    private int fdsBefore;
    private Path submount;

    @BeforeEach
    void sandbox() {
        sandbox = new Sandbox(tmp);
        fdsBefore = Leftovers.openFds();
    }

    @AfterEach
    void nothingLeft() {
        if (submount != null) {
            Jrun.exec(List.of("umount", submount.toString()), null, 30);
        }
        sandbox.deleteAllAndAssertNothingLeft(fdsBefore);
    }

    /** Runs the bundle with runc (its own --root in the sandbox) and returns the result. */
    private Jrun.Result runc(Path bundle) {
        return Jrun.exec(List.of(RUNC.toString(), "--root", tmp.resolve("runc-root").toString(), "run", "--bundle",
                bundle.toString(), Sandbox.uniqueId("runc")), null, 60);
    }

    private Jrun.Result jrun(Path bundle) {
        return sandbox.jrun().run("run", "--bundle", bundle.toString(), Sandbox.uniqueId("mo"));
    }

    private Path bundle(String script, Consumer<ObjectNode> edit) {
        return sandbox.bundle(List.of("sh", "-c", script), edit);
    }

    private static void addMount(ObjectNode c, String destination, String type, String source, String... options) {
        Configs.addMount(c, destination, type, source, options);
    }

    @Test
    void tmpcopyupFillsTheTmpfsWithTheImagesDirectoryWithoutFollowingItsSymlinks() throws IOException {
        Path bundle = bundle("""
                ls -ln /data | sed 1d | awk '{print $1, $3, $4, $9, $10, $11}'
                ls -lnd /data /data/sub | awk '{print $1, $3, $4}'
                cat /data/sub/file; readlink /data/escape
                grep ' /data ' /proc/self/mountinfo | cut -d' ' -f5,9
                echo new > /data/new && cat /data/new
                """, c -> addMount(c, "/data", "tmpfs", "tmpfs", "nosuid", "nodev", "tmpcopyup"));
        Path data = Files.createDirectories(bundle.resolve("rootfs/data/sub"));
        Files.writeString(data.resolve("file"), "image content\n");
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.setPosixFilePermissions(data.getParent(), PosixFilePermissions.fromString("rwxr-x--x"));
        Files.createSymbolicLink(data.getParent().resolve("escape"), Path.of("../../../../../../etc/shadow"));

        String out = normalize(jrun(bundle).ok().stdout());
        assertEquals("""
                lrwxrwxrwx 0 0 escape -> ../../../../../../etc/shadow
                dr-xr-xr-x 0 0 sub
                drwxr-x--x 0 0
                dr-xr-xr-x 0 0
                image content
                ../../../../../../etc/shadow
                /data tmpfs
                new
                """, out);
        assertFalse(Files.exists(bundle.resolve("rootfs/data/new")), "the write reached the image");
        // runc's tmpcopyup on the same bundle: the same content, modes and owners (the tmpfs's
        // root takes the image directory's mode in both)
        assertEquals(out, normalize(runc(bundle).ok().stdout()));
    }

    /** Without the trailing blanks of awk's empty fields. */
    private static String normalize(String s) {
        StringBuilder b = new StringBuilder();
        s.lines().forEach(l -> b.append(l.stripTrailing()).append('\n'));
        return b.toString();
    }

    @Test
    void aModeOptionWinsOverTheDirectorysModeAsInRuncOnePointTwo() throws IOException {
        Path bundle = bundle("stat -c %a /data", c -> addMount(c, "/data", "tmpfs", "tmpfs", "tmpcopyup", "mode=0711"));
        Files.setPosixFilePermissions(Files.createDirectories(bundle.resolve("rootfs/data")),
                PosixFilePermissions.fromString("rwx-----x"));
        // runc 1.1 (installed here) chmods after its copy and prints 701 instead
        assertEquals("711\n", jrun(bundle).ok().stdout());
    }

    @Test
    void aTmpfsWithoutModeTakesTheImageDirectorysMode() throws IOException {
        Path bundle = bundle("stat -c %a /data /fresh", c -> {
            addMount(c, "/data", "tmpfs", "tmpfs", "nosuid");
            addMount(c, "/fresh", "tmpfs", "tmpfs", "nosuid");
        });
        Files.setPosixFilePermissions(Files.createDirectories(bundle.resolve("rootfs/data")),
                PosixFilePermissions.fromString("rwxr-x---"));
        // /fresh is not in the image: tmpfs's own 1777, as in runc 1.2 (runc 1.1, installed here,
        // creates the directory first and gives the tmpfs its 0755)
        assertEquals("750\n1777\n", jrun(bundle).ok().stdout());
        assertEquals("750\n755\n", runc(bundle).ok().stdout());
    }

    @Test
    void theFilesKeepTheirOwnersAndSetIdBits() throws IOException {
        Path bundle = bundle("stat -c '%a %u %g %s' /data/sub/file",
                c -> addMount(c, "/data", "tmpfs", "tmpfs", "tmpcopyup"));
        Path file = Files.createDirectories(bundle.resolve("rootfs/data/sub")).resolve("file");
        Files.writeString(file, "12345");
        Jrun.exec(List.of("chown", "123:456", file.toString()), null, 10).ok();
        Jrun.exec(List.of("chmod", "6751", file.toString()), null, 10).ok();
        assertEquals("6751 123 456 5\n", jrun(bundle).ok().stdout());
        assertEquals("6751 123 456 5\n", runc(bundle).ok().stdout());
    }

    @Test
    void tmpcopyupInAUserNamespaceCopiesWithTheIdsTheContainerSees() throws IOException {
        Path bundle = bundle("ls -ln /data | sed 1d | awk '{print $1, $3, $4, $9}'", c -> {
            addMount(c, "/data", "tmpfs", "tmpfs", "tmpcopyup");
            ((ArrayNode) c.get("linux").get("namespaces")).addObject().put("type", "user");
            ObjectNode linux = (ObjectNode) c.get("linux");
            mapping(linux.putArray("uidMappings"), 0, 100000, 65536);
            mapping(linux.putArray("gidMappings"), 0, 100000, 65536);
        });
        // the container's root (host uid 100000) walks down to the rootfs
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = Files.createDirectories(bundle.resolve("rootfs/data/mapped"));
        Files.writeString(data.getParent().resolve("host-root-owned"), "x\n");
        Jrun.exec(List.of("chown", "100005:100006", data.toString()), null, 10).ok();
        String out = jrun(bundle).ok().stdout();
        // an owner the namespace maps keeps its id; the host's root is nobody (65534) inside
        assertEquals("-rw-r--r-- 65534 65534 host-root-owned\ndrwxr-xr-x 5 6 mapped\n", out);
        assertEquals(out, runc(bundle).ok().stdout());
    }

    @Test
    void rroMakesEverySubmountReadOnlyWhereRoLeavesThemWritable() throws IOException {
        Path host = Files.createDirectories(tmp.resolve("host"));
        submount = Files.createDirectories(host.resolve("sub"));
        Jrun.exec(List.of("mount", "-t", "tmpfs", "tmpfs", submount.toString()), null, 10).ok();
        String script = """
                touch /ro/top 2>/dev/null && echo ro-top-written
                touch /ro/sub/f 2>/dev/null && echo ro-sub-written
                touch /rro/top 2>/dev/null && echo rro-top-written
                touch /rro/sub/g 2>/dev/null && echo rro-sub-written
                grep -E ' /rro/sub | /ro/sub ' /proc/self/mountinfo | cut -d' ' -f5,6 | cut -d, -f1
                """;
        Path bundle = bundle(script, c -> {
            addMount(c, "/ro", "bind", host.toString(), "rbind", "ro");
            addMount(c, "/rro", "bind", host.toString(), "rbind", "rro");
        });
        String out = jrun(bundle).ok().stdout();
        assertEquals("ro-sub-written\n/ro/sub rw\n/rro/sub ro\n", out);
        assertTrue(Files.exists(submount.resolve("f")));
        assertFalse(Files.exists(submount.resolve("g")));
        Files.delete(submount.resolve("f"));
        assertEquals(out, runc(bundle).ok().stdout());
    }

    @Test
    void nosymfollowAndTheSuperblockFlagsShowInMountinfo() throws IOException {
        Path host = Files.createDirectories(tmp.resolve("host"));
        Files.writeString(host.resolve("target"), "followed\n");
        Files.createSymbolicLink(host.resolve("link"), Path.of("target"));
        Path bundle = bundle("""
                cat /plain/link; cat /nosym/link 2>/dev/null || echo not-followed
                awk '$5 == "/nosym" || $5 == "/t" { for (i = 7; $i != "-"; i++) ; print $5, $6, $(i + 3) }' /proc/self/mountinfo
                """, c -> {
                    addMount(c, "/plain", "bind", host.toString(), "rbind");
                    addMount(c, "/nosym", "bind", host.toString(), "rbind", "nosymfollow");
                    addMount(c, "/t", "tmpfs", "tmpfs", "strictatime", "sync", "lazytime", "nodiratime");
                });
        String out = jrun(bundle).ok().stdout();
        assertEquals("""
                followed
                not-followed
                /nosym rw,relatime,nosymfollow rw,discard,resv_strict,resuid=65534,resgid=65534
                /t rw,nodiratime rw,sync,lazytime
                """.replace("rw,discard,resv_strict,resuid=65534,resgid=65534", superblockOptions(out)), out);
        assertEquals(out, runc(bundle).ok().stdout());
    }

    /** The host file system's own options, as the container's mountinfo line for /nosym shows them. */
    private static String superblockOptions(String out) {
        String line = out.lines().filter(l -> l.startsWith("/nosym ")).findFirst().orElse("/nosym ? ?");
        return line.split(" ")[2];
    }

    @Test
    void anIdmappedBindShowsTheSourcesOwnersThroughTheMountsMaps() throws IOException {
        Path host = Files.createDirectories(tmp.resolve("host"));
        Files.writeString(host.resolve("root-owned"), "");
        Files.writeString(host.resolve("user-owned"), "");
        Jrun.exec(List.of("chown", "1000:1000", host.resolve("user-owned").toString()), null, 10).ok();
        String script = """
                stat -c '%n %u %g' /plain/root-owned /plain/user-owned /mapped/root-owned /mapped/user-owned
                touch /mapped/created
                grep ' /mapped ' /proc/self/mountinfo | cut -d' ' -f6
                """;
        Path bundle = bundle(script, c -> {
            addMount(c, "/plain", "bind", host.toString(), "rbind");
            addMount(c, "/mapped", "bind", host.toString(), "rbind", "idmap");
            ObjectNode mapped = (ObjectNode) c.get("mounts").get(c.get("mounts").size() - 1);
            mapping(mapped.putArray("uidMappings"), 0, 2000, 1001);
            mapping(mapped.putArray("gidMappings"), 0, 3000, 1001);
        });
        String out = jrun(bundle).ok().stdout();
        assertEquals("""
                /plain/root-owned 0 0
                /plain/user-owned 1000 1000
                /mapped/root-owned 2000 3000
                /mapped/user-owned 3000 4000
                rw,relatime,idmapped
                """, out);
        // The container's root (no user namespace) is no id of the maps' range: it cannot create
        // files through the mount (EOVERFLOW), as on any idmapped mount.
        assertFalse(Files.exists(host.resolve("created")), "an unmapped id wrote through the idmapped mount");
    }

    private static void mapping(ArrayNode maps, long containerId, long hostId, long size) {
        maps.addObject().put("containerID", containerId).put("hostID", hostId).put("size", size);
    }

    @Test
    void anUnknownOptionIsRefusedNamingItsFieldAndNothingIsLeft() {
        Path bundle = bundle("true", c -> addMount(c, "/t", "tmpfs", "tmpfs", "nosuid", "size=1m", "bogus"));
        Jrun.Result r = jrun(bundle);
        assertEquals(1, r.exit(), r.stderr());
        int mountIndex = 7; // the example config has seven mounts
        // (the log's text form escapes the quotes)
        assertTrue(r.stderr().replace("\\\"", "\"").contains("config.json: /mounts/" + mountIndex
                + "/options/2: \"bogus\" is not a mount option jrun knows nor a parameter of tmpfs"), r.stderr());
    }

    @Test
    void aConflictIsRefusedNamingItsField() {
        Path bundle = bundle("true", c -> addMount(c, "/t", "tmpfs", "tmpfs", "idmap"));
        Jrun.Result r = jrun(bundle);
        assertEquals(1, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("config.json: /mounts/7/options/0: idmapped mounts are bind mounts only"),
                r.stderr());
    }
}
