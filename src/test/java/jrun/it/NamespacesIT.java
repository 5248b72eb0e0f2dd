package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the container's namespaces isolate: processes, host and domain name, network, sysctls. */
class NamespacesIT extends SandboxedIT {
    private static String host(String... cmd) {
        Jrun.Result r = Jrun.exec(List.of(cmd), null, 30);
        assertEquals(0, r.exit(), String.join(" ", cmd) + ": " + r.stderr());
        return r.stdout();
    }

    /** One read(): integer sysctl files answer only the first (Files.readString would get "6" of "64"). */
    private static String sysctlFile(String name) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("/proc/sys", name))) {
            return new String(in.readNBytes(4096), StandardCharsets.US_ASCII).strip();
        }
    }

    @Test
    void theProcessIsPidOneAndSeesOnlyTheContainersProcesses() {
        // a background sleep makes another process (awaited until it has exec'd: its comm is
        // sleep; the forked shell's cmdline already says "sleep 30"), ps a third; none of the
        // host's hundreds shows
        String out = sandbox.inside("sleep 30 & until [ \"$(cat /proc/$!/comm)\" = sleep ]; do :; done; echo $$; "
                + "ps -o pid,args; kill $!");
        List<String> lines = out.lines().map(l -> l.strip().replaceAll("\\s+", " ")).toList();
        assertEquals("1", lines.get(0));
        List<String> processes = lines.subList(2, lines.size());
        assertEquals(3, processes.size(), out);
        assertTrue(processes.get(0).startsWith("1 sh -c "), out);
        // busybox's ps shows "{exe} " before args whose applet was started through /proc/self/exe
        assertTrue(processes.get(1).matches("2 (\\{exe\\} )?sleep 30"), out);
    }

    @Test
    void theHostnameAndDomainnameAreTheConfigs() {
        String out = sandbox.inside("hostname; cat /proc/sys/kernel/domainname", c -> {
            c.put("hostname", "box-1");
            c.put("domainname", "jrun.example");
        });
        assertEquals("box-1\njrun.example\n", out);
        assertNotEquals("box-1", host("hostname").strip(), "the host's name changed");
    }

    @Test
    void aNamespacedSysctlIsSetInsideOnly() throws Exception {
        String hostTtl = sysctlFile("net/ipv4/ip_default_ttl");
        assertNotEquals("42", hostTtl);
        String out = sandbox.inside("cat /proc/sys/net/ipv4/ip_default_ttl /proc/sys/kernel/shmmni",
                c -> {
                    Configs.sysctl(c, "net.ipv4.ip_default_ttl", "42");
                    Configs.sysctl(c, "kernel.shmmni", "1234");
                });
        assertEquals("42\n1234\n", out);
        assertEquals(hostTtl, sysctlFile("net/ipv4/ip_default_ttl"), "the host's value changed");
    }

    @Test
    void aNetworkNamespaceJoinedByPathIsTheOneTheContainerSees() {
        String name = "jrun-it-" + UUID.randomUUID().toString().substring(0, 8);
        host("ip", "netns", "add", name);
        try {
            host("ip", "-n", name, "addr", "add", "10.231.7.9/32", "dev", "lo");
            host("ip", "-n", name, "link", "set", "lo", "up");
            String nsPath = "/var/run/netns/" + name;
            String inode = host("stat", "-L", "-c", "%i", nsPath).strip();
            String out = sandbox.inside("readlink /proc/self/ns/net; ip -o -4 addr show dev lo | awk '{print $4}'",
                    c -> Configs.namespace(c, "network", nsPath));
            assertEquals("net:[" + inode + "]\n127.0.0.1/8\n10.231.7.9/32\n", out);
        } finally {
            host("ip", "netns", "del", name);
        }
    }

    @Test
    void aNetworkSysctlAppliesToAJoinedNetworkNamespace() {
        // podman's way: it creates the network namespace, and the config joins it by path
        String name = "jrun-it-" + UUID.randomUUID().toString().substring(0, 8);
        host("ip", "netns", "add", name);
        try {
            String out = sandbox.inside("cat /proc/sys/net/ipv4/ip_default_ttl", c -> {
                Configs.namespace(c, "network", "/var/run/netns/" + name);
                Configs.sysctl(c, "net.ipv4.ip_default_ttl", "77");
            });
            assertEquals("77\n", out);
            assertEquals("77\n", host("ip", "netns", "exec", name, "cat", "/proc/sys/net/ipv4/ip_default_ttl"));
        } finally {
            host("ip", "netns", "del", name);
        }
    }

    @Test
    void aNewNetworkNamespaceHasOnlyLoopback() {
        String out = sandbox.inside("ip -o link | cut -d: -f2 | tr -d ' '");
        assertEquals("lo\n", out);
    }

    @Test
    void everyNewNamespaceDiffersFromTheHostsAndAnAbsentOneIsShared() throws Exception {
        String out = sandbox.inside("for n in pid net ipc uts mnt cgroup user; do echo $n $(readlink /proc/self/ns/$n); done");
        for (String line : out.lines().toList()) {
            String[] f = line.split(" ");
            String hostNs = Files.readSymbolicLink(Path.of("/proc/self/ns", f[0])).toString();
            if (f[0].equals("user")) {
                assertEquals(hostNs, f[1], "the example config has no user namespace");
            } else {
                assertNotEquals(hostNs, f[1], f[0] + " namespace is the host's");
            }
        }
        assertTrue(out.lines().count() == 7, out);
    }

    /**
     * The spec: a namespace type not listed is inherited from the runtime. A config listing none
     * (and no hostname, which needs a UTS namespace): every namespace of the process is the
     * runtime's, mount included (see RuntimeMountNamespaceIT).
     */
    @Test
    void withNoNamespaceListedEveryNamespaceIsTheRuntimes() throws Exception {
        String out = sandbox.inside("for n in pid net ipc uts mnt cgroup user time; do echo $n $(readlink /proc/self/ns/$n); done",
                c -> {
                    Configs.linux(c).putArray("namespaces");
                    c.remove("hostname");
                });
        for (String line : out.lines().toList()) {
            String[] f = line.split(" ");
            assertEquals(Files.readSymbolicLink(Path.of("/proc/self/ns", f[0])).toString(), f[1], f[0] + " namespace");
        }
        assertEquals(8, out.lines().count(), out);
    }

    /**
     * A user namespace whose maps leave out the host's root: the container's root is host uid
     * 100000, files it creates are owned by it, and exec joins it the same way.
     */
    @Test
    void aUserNamespaceMakesTheContainersRootAnUnprivilegedHostUser() throws Exception {
        // The mapped root must be able to reach the rootfs (JUnit's temporary directory is 0700).
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path bundle = sandbox.bundle(List.of("sh", "-c", "touch /dev/shm/made; sleep 60"), c -> {
            tools.jackson.databind.node.ObjectNode linux = Configs.linux(c);
            ((tools.jackson.databind.node.ArrayNode) linux.get("namespaces")).addObject().put("type", "user");
            for (String map : List.of("uidMappings", "gidMappings")) {
                linux.putArray(map).addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
            }
        });
        Jrun jrun = sandbox.jrun();
        jrun.run("run", "-d", "-b", bundle.toString(), "userns").ok();
        try {
            int pid = Bundles.parse(jrun.run("state", "userns").ok().stdout()).get("pid").asInt();
            String status = Files.readString(Path.of("/proc", Integer.toString(pid), "status"));
            assertTrue(status.lines().anyMatch(l -> l.matches("Uid:\\s+100000\\s+100000\\s+100000\\s+100000")), status);
            String inside = jrun.run("exec", "userns", "sh", "-c",
                    "id -u; cat /proc/self/uid_map; until [ -e /dev/shm/made ]; do sleep 0.05; done; stat -c %u /dev/shm/made")
                    .ok().stdout();
            List<String> lines = inside.lines().map(l -> l.strip().replaceAll("\\s+", " ")).toList();
            assertEquals(List.of("0", "0 100000 65536", "0"), lines, inside);
            assertEquals(Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "ns", "user")).toString(),
                    jrun.run("exec", "userns", "readlink", "/proc/self/ns/user").ok().stdout().strip());
        } finally {
            jrun.run("delete", "-f", "userns");
        }
    }
}
