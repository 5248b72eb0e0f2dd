package jrun.linux.net;

import static jrun.sys.Kernel.O_CLOEXEC;
import static jrun.sys.Kernel.O_RDONLY;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import jrun.base.JrunException;
import jrun.linux.ContainerPlan;
import jrun.sys.Errno;
import jrun.sys.NativeCopy;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * {@code linux.netDevices} (runtime-spec 1.3, "Network Devices"), as runc 1.4 moves them
 * (libcontainer/network_linux.go): each named host interface is set down, moved into the
 * container's network namespace under its new name in one RTM_NEWLINK (IFLA_NET_NS_FD with
 * IFLA_IFNAME, so that no name clash can happen in between), set up there, and given back its
 * permanent addresses of global scope, which the kernel drops with the move.
 *
 * <p>Every interface is looked up, and its new name checked, before any moves, so that a missing
 * one or a name clash fails the create with all of them still on the host. Nothing moves them back: the spec forbids it, and when
 * the namespace dies the kernel returns physical devices to the host's namespace and destroys
 * virtual ones (network_namespaces(7)).
 */
public final class NetDeviceMover {

    private NetDeviceMover() {}

    /**
     * @param netnsPath the container's network namespace: /proc/PID/ns/net of a new one, or the
     *                  path of one joined
     */
    public static void move(List<ContainerPlan.NetDevice> devices, String netnsPath) {
        if (devices.isEmpty()) {
            return;
        }
        int netns;
        try (Arena a = Arena.ofConfined()) {
            netns = (int) Sys.call("open the container's network namespace " + netnsPath, SyscallNr.OPENAT, -100,
                    NativeCopy.cString(a, netnsPath).address(), O_RDONLY | O_CLOEXEC);
        }
        try (NetlinkSocket host = NetlinkSocket.open(); NetlinkSocket container = NetlinkSocket.openIn(netns)) {
            List<Rtnetlink.Link> links = new ArrayList<>();
            for (ContainerPlan.NetDevice d : devices) {
                Rtnetlink.Link link = host.linkByName(d.hostName());
                if (link == null) {
                    throw error(d, "there is no network interface " + d.hostName() + " on the host");
                }
                // runtime-spec: the runtime MUST check that the move is possible. The kernel would
                // move the interface first and refuse the rename after, leaving it in the namespace.
                if (!d.templated() && container.linkByName(d.containerName()) != null) {
                    throw error(d, "the container's network namespace already has an interface named "
                            + d.containerName() + " (end the name in %d to let the kernel number it)");
                }
                links.add(link);
            }
            for (int i = 0; i < devices.size(); i++) {
                move(devices.get(i), links.get(i), host, container, netns);
            }
        } catch (NetlinkSocket.Refused e) {
            throw new JrunException("config.json: /linux/netDevices: " + e.getMessage(), e);
        } finally {
            Sys.attempt(SyscallNr.CLOSE, netns);
        }
    }

    private static void move(ContainerPlan.NetDevice d, Rtnetlink.Link link, NetlinkSocket host,
                             NetlinkSocket container, int netns) {
        int index = link.index();
        // Listed before the link goes down: taking it down drops its IPv6 addresses.
        List<Rtnetlink.Address> addresses = new ArrayList<>();
        for (Rtnetlink.Address a : host.addresses(index)) {
            if (a.moves()) {
                addresses.add(a);
            }
        }
        try {
            host.setUp(index, false, "set " + d.hostName() + " down");
            String rename = d.containerName().equals(d.hostName()) ? null : d.containerName();
            host.moveTo(index, netns, rename, "move " + d.hostName() + " into the container's network namespace"
                    + (rename == null ? "" : " as " + rename));
        } catch (NetlinkSocket.Refused e) {
            if ((link.flags() & Rtnetlink.IFF_UP) != 0) {
                restoreUp(host, index, e); // it stays on the host, as it was
            }
            if (e.errno() == Errno.EEXIST) {
                throw error(d, "the container's network namespace already has an interface named "
                        + d.containerName() + " (end the name in %d to let the kernel number it)");
            }
            throw error(d, e.getMessage());
        }
        // The kernel keeps the index unless the namespace has it taken; a templated name is only
        // known by it.
        Rtnetlink.Link moved = d.templated() ? container.linkByIndex(index) : container.linkByName(d.containerName());
        if (moved == null) {
            throw error(d, "the interface moved but cannot be found in the container's network namespace");
        }
        try {
            container.setUp(moved.index(), true, "set " + d.containerName() + " up in the container");
            for (Rtnetlink.Address a : addresses) {
                container.addAddress(a, moved.index(), "give " + d.containerName() + " back its address");
            }
        } catch (NetlinkSocket.Refused e) {
            throw error(d, e.getMessage());
        }
    }

    private static void restoreUp(NetlinkSocket host, int index, RuntimeException failure) {
        try {
            host.setUp(index, true, "set the interface up again");
        } catch (NetlinkSocket.Refused e) {
            failure.addSuppressed(e);
        }
    }

    private static JrunException error(ContainerPlan.NetDevice d, String message) {
        return new JrunException("config.json: " + d.pointer() + ": " + message);
    }
}
