package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The container's file system as its process sees it: mounts, bind mounts, masked and read-only paths. */
class MountsIT extends SandboxedIT {
    /** Mount point (mountinfo field 5) to the whole line, in mount order. */
    private static Map<String, String> mountPoints(String mountinfo) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : mountinfo.lines().toList()) {
            out.put(line.split(" ")[4], line);
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asString()));
        }
        return out;
    }

    @Test
    void mountinfoHoldsOnlyTheRootfsTheConfigsMountsAndWhatJrunAdds() throws IOException {
        Path hostDir = Files.createDirectories(tmp.resolve("shared"));
        String mountinfo = sandbox.inside("cat /proc/self/mountinfo",
                c -> Configs.addMount(c, "/mnt/shared", "bind", hostDir.toString(), "rbind", "ro"));
        Map<String, String> mounts = mountPoints(mountinfo);

        JsonNode config = Bundles.parse(Files.readString(tmp.resolve("bundle-1/config.json")));
        List<String> destinations = new ArrayList<>();
        config.get("mounts").forEach(m -> destinations.add(m.get("destination").asString()));
        List<String> addedByJrun = new ArrayList<>(strings(config.get("linux").get("maskedPaths")));
        addedByJrun.addAll(strings(config.get("linux").get("readonlyPaths")));
        for (String point : mounts.keySet()) {
            boolean expected = point.equals("/") || destinations.contains(point) || addedByJrun.contains(point)
                    // a "cgroup" mount on a v1 or hybrid host is a tmpfs with one mount per hierarchy
                    || point.startsWith("/sys/fs/cgroup/");
            assertTrue(expected, "unexpected mount point " + point + " in the container:\n" + mountinfo);
        }
        for (String destination : destinations) {
            assertTrue(mounts.containsKey(destination), destination + " is not mounted:\n" + mountinfo);
        }
        // "/" is the bundle's rootfs (mountinfo field 4 is the mount's root within its file system)
        assertTrue(mounts.get("/").split(" ")[3].endsWith("/" + tmp.getFileName() + "/bundle-1/rootfs"),
                "/ is not the bundle's rootfs: " + mounts.get("/"));
        // nothing of the host's own mounts (the host has e.g. /run/netns and /mnt/... here)
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String hostPoint = line.split(" ")[4];
            if (!hostPoint.equals("/") && !destinations.contains(hostPoint) && !addedByJrun.contains(hostPoint)
                    && !hostPoint.startsWith("/sys/fs/cgroup/")) {
                assertFalse(mounts.containsKey(hostPoint), "the host's mount " + hostPoint + " shows in the container");
            }
        }
    }

    @Test
    void aReadWriteBindMountOfAHostDirectoryIsSharedBothWays() throws IOException {
        Path hostDir = Files.createDirectories(tmp.resolve("rw"));
        Files.writeString(hostDir.resolve("from-host"), "host data\n");
        String out = sandbox.inside("cat /mnt/rw/from-host; echo container data > /mnt/rw/from-container",
                c -> Configs.addMount(c, "/mnt/rw", "bind", hostDir.toString(), "rbind", "rw"));
        assertEquals("host data\n", out);
        assertEquals("container data\n", Files.readString(hostDir.resolve("from-container")));
    }

    @Test
    void aReadOnlyBindMountCannotBeWrittenFromTheContainer() throws IOException {
        Path hostDir = Files.createDirectories(tmp.resolve("ro"));
        Files.writeString(hostDir.resolve("data"), "read me\n");
        Jrun.Result r = sandbox.sh("cat /mnt/ro/data; echo x > /mnt/ro/new; echo status=$?; echo y >> /mnt/ro/data",
                c -> Configs.addMount(c, "/mnt/ro", "bind", hostDir.toString(), "rbind", "ro"));
        assertEquals(1, r.exit(), r.stdout() + r.stderr());
        assertTrue(r.stdout().startsWith("read me\n"), r.stdout());
        assertTrue(r.stdout().contains("status=1"), r.stdout());
        assertTrue(r.stderr().contains("Read-only file system"), r.stderr());
        assertFalse(Files.exists(hostDir.resolve("new")));
        assertEquals("read me\n", Files.readString(hostDir.resolve("data")));
    }

    @Test
    void aBindMountOfAHostFileShowsItsContentAtAPathThatDidNotExist() throws IOException {
        Path hostFile = Files.writeString(tmp.resolve("host-file"), "file from the host\n");
        String out = sandbox.inside("cat /etc/jrun/injected.conf; stat -c %F /etc/jrun/injected.conf",
                c -> Configs.addMount(c, "/etc/jrun/injected.conf", "bind", hostFile.toString(), "bind", "ro"));
        assertEquals("file from the host\nregular file\n", out);
    }

    @Test
    void maskedPathsShowNothing() throws IOException {
        // the host's versions have content, so an unmasked path would show
        assertTrue(Files.readAllBytes(Path.of("/proc/timer_list")).length > 0);
        try (var s = Files.list(Path.of("/sys/firmware"))) {
            assertTrue(s.findAny().isPresent(), "the host's /sys/firmware is empty: the test would prove nothing");
        }
        String out = sandbox.inside("""
                echo timer_list=$(wc -c < /proc/timer_list)
                echo keys=$(wc -c < /proc/keys)
                echo firmware=$(ls -A /sys/firmware | wc -l)
                echo acpi=$(ls -A /proc/acpi | wc -l)
                touch /sys/firmware/x 2>/dev/null && echo firmware-writable
                grep -E ' /proc/acpi | /sys/firmware ' /proc/self/mountinfo | cut -d' ' -f5,6 | cut -d, -f1
                """);
        assertEquals("""
                timer_list=0
                keys=0
                firmware=0
                acpi=0
                /proc/acpi ro
                /sys/firmware ro
                """, out);
    }

    /** Every capability jrun has, and a read-write bind of {@code hostDir} at /mnt/data. */
    private static void privilegedWithData(ObjectNode c, Path hostDir) {
        Configs.capabilities(c, Configs.hostCapabilities());
        Configs.addMount(c, "/mnt/data", "bind", hostDir.toString(), "rbind", "rw");
    }

    @Test
    void readOnlyPathsCannotBeWrittenEvenByRoot() throws IOException {
        // only the read-only mounts stand between this root and these files
        Path hostDir = Files.createDirectories(tmp.resolve("data"));
        Jrun.Result r = sandbox.sh("""
                echo 42 > /proc/sys/net/ipv4/ip_default_ttl; echo ttl=$?
                echo x > /mnt/data/f; echo data=$?
                """, c -> {
                    privilegedWithData(c, hostDir);
                    ((ArrayNode) c.get("linux").get("readonlyPaths")).add("/mnt/data");
                });
        assertEquals("ttl=1\ndata=1\n", r.stdout(), r.stderr());
        assertEquals(2, r.stderr().split("Read-only file system", -1).length - 1, r.stderr());
        assertFalse(Files.exists(hostDir.resolve("f")));
    }

    @Test
    void withoutReadOnlyPathsTheSameWritesSucceed() throws IOException {
        // the control for the test above: its failures come from readonlyPaths, not from elsewhere
        Path hostDir = Files.createDirectories(tmp.resolve("data"));
        String out = sandbox.inside("""
                echo 42 > /proc/sys/net/ipv4/ip_default_ttl; cat /proc/sys/net/ipv4/ip_default_ttl
                echo x > /mnt/data/f
                """, c -> {
                    privilegedWithData(c, hostDir);
                    ((ObjectNode) c.get("linux")).putArray("readonlyPaths");
                });
        assertEquals("42\n", out);
        assertEquals("x\n", Files.readString(hostDir.resolve("f")));
    }

    @Test
    void aReadOnlyRootfsRefusesWrites() {
        Jrun.Result r = sandbox.sh("touch /new-file", c -> ((ObjectNode) c.get("root")).put("readonly", true));
        assertEquals(1, r.exit());
        assertTrue(r.stderr().contains("Read-only file system"), r.stderr());
        assertFalse(Files.exists(tmp.resolve("bundle-1/rootfs/new-file")));
    }

    @Test
    void aWritableRootfsTakesWritesThatTheHostSees() throws IOException {
        sandbox.inside("echo written > /new-file", c -> ((ObjectNode) c.get("root")).put("readonly", false));
        assertEquals("written\n", Files.readString(tmp.resolve("bundle-1/rootfs/new-file")));
    }
    /**
     * rootfsPropagation, every value, seen from inside: the root's mountinfo line, and whether a
     * bind of / made inside sees a mount added after it (the spec's "shared": the root is a
     * peer group of its own). runc 1.1.5 gives neither shared value a shared root (it applies
     * them before pivot_root) and refuses both unbindable ones at its rootfs bind (EINVAL).
     */
    @Test
    void rootfsPropagationGivesTheRootEveryTypeAndASharedRootPropagatesToItsBinds() {
        String script = "awk '$5==\"/\" {print \"root:\", $0}' /proc/self/mountinfo; "
                + "if mount --bind / /root 2>/dev/null; then mount -t tmpfs t /tmp && touch /tmp/seen; "
                + "if [ -e /root/tmp/seen ]; then echo seen; else echo unseen; fi; else echo bind-refused; fi";
        for (String type : List.of("private", "rprivate", "slave", "rslave", "shared", "rshared", "unbindable",
                "runbindable")) {
            String out = sandbox.inside(script, c -> {
                Configs.linux(c).put("rootfsPropagation", type);
                Configs.capabilities(c, List.of("CAP_SYS_ADMIN"));
            });
            String root = out.lines().filter(l -> l.startsWith("root:")).findFirst().orElseThrow();
            String fields = root.substring(0, root.indexOf(" - "));
            boolean shared = type.endsWith("shared");
            boolean unbindable = type.endsWith("unbindable");
            assertEquals(shared, fields.contains(" shared:"), type + ": " + out);
            assertEquals(unbindable, fields.contains(" unbindable"), type + ": " + out);
            String expected = unbindable ? "bind-refused" : shared ? "seen" : "unseen";
            assertTrue(out.lines().toList().contains(expected), type + ": expected " + expected + " in\n" + out);
        }
    }
}
