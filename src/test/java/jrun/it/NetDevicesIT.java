package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * linux.netDevices: a host interface (one end of a veth pair the test makes with ip(8); jrun
 * itself speaks rtnetlink) moved into the container's network namespace, as the container's
 * process sees it with busybox's ip, and what the host has before and after. runc 1.1.5,
 * installed here, ignores the field: its container has only lo, the interface stays on the host.
 */
class NetDevicesIT extends SandboxedIT {
    private final List<String> made = new ArrayList<>();

    /** Runs before the sandbox's check: the veth ends a test made and the kernel did not destroy. */
    @AfterEach
    void deleteInterfacesLeft() {
        for (String name : made) {
            ip("link", "del", name);
        }
    }

    private static Jrun.Result ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        return Jrun.exec(cmd, Path.of("/"), 30);
    }

    /** A veth pair with a unique name; returns the end to move, up, with an IPv4 and an IPv6 address. */
    private String vethPair() {
        String name = "jv" + UUID.randomUUID().toString().substring(0, 8);
        ip("link", "add", name, "type", "veth", "peer", "name", name + "p").ok();
        made.add(name);
        ip("addr", "add", "192.0.2.10/24", "dev", name).ok();
        ip("addr", "add", "2001:db8::10/64", "dev", name).ok();
        ip("link", "set", name, "up").ok();
        return name;
    }

    private static boolean onHost(String name) {
        return ip("link", "show", name).exit() == 0;
    }

    /** Whether {@code name} is gone from the host, polled until {@code millis} have passed. */
    private static boolean goneWithin(String name, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (onHost(name)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static void netDevice(ObjectNode config, String hostName, String newName) {
        Configs.namespace(config, "network", null);
        ObjectNode d = Configs.linux(config).putObject("netDevices").putObject(hostName);
        if (newName != null) {
            d.put("name", newName);
        }
    }

    @Test
    void theInterfaceIsInTheContainerRenamedUpWithItsAddressesAndGoneFromTheHost() {
        String veth = vethPair();
        String out = sandbox.inside("ip -o link show ctr7; ip -o addr show ctr7", c -> netDevice(c, veth, "ctr7"));
        List<String> lines = out.lines().toList();
        assertTrue(lines.get(0).contains(": ctr7@") && lines.get(0).contains(",UP"), out);
        assertTrue(out.contains("inet 192.0.2.10/24 scope global ctr7"), out);
        assertTrue(out.contains("inet6 2001:db8::10/64 scope global"), out);
        // The container has ended and its namespace with it: the kernel destroys a virtual
        // interface there (and with it the veth peer); a physical one would come back to the host.
        // The kernel tears a namespace down in a work queue, after its last process is gone.
        assertTrue(goneWithin(veth, 10_000) && goneWithin(veth + "p", 10_000),
                "the veth pair is destroyed with the namespace");
        made.clear();
    }

    @Test
    void withoutANewNameTheInterfaceKeepsItsOwnAndATemplateIsNumberedByTheKernel() {
        String veth = vethPair();
        assertTrue(sandbox.inside("ip -o link show " + veth, c -> netDevice(c, veth, null)).contains(": " + veth + "@"));
        String other = vethPair();
        assertTrue(sandbox.inside("ip -o link show net0", c -> netDevice(c, other, "net%d")).contains(": net0@"));
        made.clear();
    }

    @Test
    void whileTheContainerRunsTheHostNoLongerHasTheInterface() {
        String veth = vethPair();
        String id = Sandbox.uniqueId("netdev");
        Path bundle = sandbox.bundle(List.of("sleep", "600"), c -> netDevice(c, veth, "eth1"));
        sandbox.jrun().run("create", "--bundle", bundle.toString(), id).ok();
        assertTrue(!onHost(veth), "moved at create");
        assertTrue(onHost(veth + "p"), "its peer stays");
        sandbox.jrun().run("delete", "-f", id).ok();
        made.clear();
        made.add(veth + "p"); // gone with the namespace, or deleted here if not
    }

    /**
     * A network namespace joined by path (as podman and CNI make them) gets the interface, which
     * stays there when the container is deleted: the namespace outlives it, and the spec forbids
     * moving the interface back.
     */
    @Test
    void intoANamespaceJoinedByPathTheInterfaceMovesAndStaysThereAfterDelete() {
        String veth = vethPair();
        String netns = "jrun-it-" + UUID.randomUUID().toString().substring(0, 8);
        ip("netns", "add", netns).ok();
        try {
            String out = sandbox.inside("ip -o link show eth3", c -> {
                netDevice(c, veth, "eth3");
                Configs.namespace(c, "network", "/var/run/netns/" + netns);
            });
            assertTrue(out.contains(": eth3@") && out.contains(",UP"), out);
            assertTrue(ip("-n", netns, "-o", "addr", "show", "eth3").ok().stdout().contains("192.0.2.10/24"),
                    "still in the namespace, with its address, after the container is gone");
        } finally {
            ip("netns", "del", netns);
        }
        made.clear();
        made.add(veth + "p");
    }

    @Test
    void aNameTheContainerAlreadyHasIsRefusedAndTheInterfaceStaysOnTheHostAsItWas() {
        String veth = vethPair();
        Jrun.Result r = sandbox.sh("true", c -> netDevice(c, veth, "lo"));
        assertEquals(1, r.exit());
        assertTrue(r.stderr().contains("config.json: /linux/netDevices/" + veth
                + ": the container's network namespace already has an interface named lo"), r.stderr());
        String link = ip("-o", "link", "show", veth).ok().stdout();
        assertTrue(link.contains(",UP"), link);
        assertTrue(ip("-o", "addr", "show", veth).ok().stdout().contains("192.0.2.10/24"));
    }

    @Test
    void aMissingHostInterfaceIsRefusedBeforeAnyMoves() {
        String veth = vethPair();
        Jrun.Result r = sandbox.sh("true", c -> {
            netDevice(c, veth, "eth1");
            ((ObjectNode) Configs.linux(c).get("netDevices")).putObject("jrun-missing0");
        });
        assertEquals(1, r.exit());
        assertTrue(r.stderr().contains("config.json: /linux/netDevices/jrun-missing0: there is no network interface "
                + "jrun-missing0 on the host"), r.stderr());
        assertTrue(onHost(veth), "the first interface did not move");
    }
}
