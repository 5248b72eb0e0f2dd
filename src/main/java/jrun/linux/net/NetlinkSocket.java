package jrun.linux.net;

import static jrun.sys.Kernel.O_CLOEXEC;
import static jrun.sys.Kernel.O_RDONLY;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import jrun.sys.Errno;
import jrun.sys.NativeCopy;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * A NETLINK_ROUTE socket: requests answered by an acknowledgement, a single reply or a dump. A
 * socket belongs to the network namespace of the thread that created it, whatever that thread
 * does later: {@link #openIn} makes one in another namespace by entering it for the socket(2)
 * call only (setns into a network namespace is per thread, allowed in a multithreaded JVM).
 */
final class NetlinkSocket implements AutoCloseable {
    private static final int AF_NETLINK = 16;
    private static final long SOCK_RAW = 3;
    private static final long SOCK_CLOEXEC = 02000000;
    private static final int NETLINK_ROUTE = 0;
    private static final long CLONE_NEWNET = 0x40000000L;
    private static final int BUFFER = 64 * 1024;

    /** The kernel's refusal of a request, with its errno. */
    static final class Refused extends RuntimeException {
        private final int errno;

        Refused(String what, int errno) {
            super(what + ": " + Errno.describe(errno));
            this.errno = errno;
        }

        int errno() {
            return errno;
        }
    }

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment buffer = arena.allocate(BUFFER, 8);
    private final int fd;
    private int seq;

    private NetlinkSocket(int fd) {
        this.fd = fd;
    }

    /** A socket in this thread's network namespace. */
    static NetlinkSocket open() {
        return new NetlinkSocket((int) Sys.call("open a netlink socket", SyscallNr.SOCKET, AF_NETLINK,
                SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
    }

    /** A socket in the network namespace of {@code netnsFd}; this thread is back in its own after. */
    static NetlinkSocket openIn(int netnsFd) {
        try (Arena a = Arena.ofConfined()) {
            int own = (int) Sys.call("open this thread's network namespace", SyscallNr.OPENAT, -100,
                    NativeCopy.cString(a, "/proc/thread-self/ns/net").address(), O_RDONLY | O_CLOEXEC);
            try {
                Sys.call("enter the container's network namespace", SyscallNr.SETNS, netnsFd, CLONE_NEWNET);
                try {
                    return open();
                } finally {
                    Sys.call("return to jrun's own network namespace", SyscallNr.SETNS, own, CLONE_NEWNET);
                }
            } finally {
                Sys.attempt(SyscallNr.CLOSE, own);
            }
        }
    }

    /** The link named {@code name}, or null when there is none. */
    Rtnetlink.Link linkByName(String name) {
        return link(next(Rtnetlink.RTM_GETLINK, Rtnetlink.NLM_F_REQUEST).link(0, 0, 0)
                .attribute(Rtnetlink.IFLA_IFNAME, name));
    }

    /** The link with index {@code index}, or null when there is none. */
    Rtnetlink.Link linkByIndex(int index) {
        return link(next(Rtnetlink.RTM_GETLINK, Rtnetlink.NLM_F_REQUEST).link(index, 0, 0));
    }

    private Rtnetlink.Link link(Rtnetlink.Request request) {
        List<Rtnetlink.Message> replies = exchange(request, false);
        for (Rtnetlink.Message m : replies) {
            if (m.type() == Rtnetlink.NLMSG_ERROR && m.error() != 0) {
                int errno = -m.error();
                if (errno == Errno.ENODEV) {
                    return null;
                }
                throw new Refused("look up a network device", errno);
            }
            if (m.type() == Rtnetlink.RTM_NEWLINK) {
                return Rtnetlink.link(m);
            }
        }
        return null;
    }

    /** Every address of the link {@code index}. */
    List<Rtnetlink.Address> addresses(int index) {
        List<Rtnetlink.Address> out = new ArrayList<>();
        for (Rtnetlink.Message m : exchange(next(Rtnetlink.RTM_GETADDR, Rtnetlink.NLM_F_REQUEST | Rtnetlink.NLM_F_DUMP)
                .address(Rtnetlink.AF_UNSPEC, 0, 0, 0, 0), true)) {
            if (m.type() == Rtnetlink.RTM_NEWADDR) {
                Rtnetlink.Address a = Rtnetlink.address(m);
                if (a.index() == index) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    /** Sets the link up or down. */
    void setUp(int index, boolean up, String what) {
        acknowledged(next(Rtnetlink.RTM_NEWLINK, Rtnetlink.NLM_F_REQUEST | Rtnetlink.NLM_F_ACK)
                .link(index, up ? Rtnetlink.IFF_UP : 0, Rtnetlink.IFF_UP), what);
    }

    /** Moves the link into the network namespace {@code netnsFd}, renamed when {@code newName} is not null. */
    void moveTo(int index, int netnsFd, String newName, String what) {
        Rtnetlink.Request r = next(Rtnetlink.RTM_NEWLINK, Rtnetlink.NLM_F_REQUEST | Rtnetlink.NLM_F_ACK)
                .link(index, 0, 0).attribute(Rtnetlink.IFLA_NET_NS_FD, netnsFd);
        if (newName != null) {
            r.attribute(Rtnetlink.IFLA_IFNAME, newName);
        }
        acknowledged(r, what);
    }

    /** Adds {@code a} to the link {@code index}. */
    void addAddress(Rtnetlink.Address a, int index, String what) {
        Rtnetlink.Request r = next(Rtnetlink.RTM_NEWADDR,
                Rtnetlink.NLM_F_REQUEST | Rtnetlink.NLM_F_ACK | Rtnetlink.NLM_F_CREATE | Rtnetlink.NLM_F_EXCL)
                .address(a.family(), a.prefixLength(), a.flags() & 0xff, a.scope(), index);
        for (var attribute : a.attributes().entrySet()) {
            r.attribute(attribute.getKey(), attribute.getValue());
        }
        acknowledged(r, what);
    }

    private Rtnetlink.Request next(int type, int flags) {
        return new Rtnetlink.Request(type, flags, ++seq);
    }

    private void acknowledged(Rtnetlink.Request request, String what) {
        for (Rtnetlink.Message m : exchange(request, false)) {
            if (m.type() == Rtnetlink.NLMSG_ERROR) {
                if (m.error() != 0) {
                    throw new Refused(what, -m.error());
                }
                return;
            }
        }
        throw new Refused(what + " (no acknowledgement from the kernel)", Errno.EIO);
    }

    /**
     * Sends {@code request} and reads the replies with its sequence number: one datagram, or for
     * a dump every datagram up to NLMSG_DONE (or an error).
     */
    private List<Rtnetlink.Message> exchange(Rtnetlink.Request request, boolean dump) {
        byte[] bytes = request.bytes();
        MemorySegment out = NativeCopy.of(arena, bytes);
        Sys.call("send a netlink request", SyscallNr.WRITE, fd, out.address(), bytes.length);
        List<Rtnetlink.Message> replies = new ArrayList<>();
        byte[] data = new byte[BUFFER];
        while (true) {
            int n = (int) Sys.call("read a netlink reply", SyscallNr.READ, fd, buffer.address(), BUFFER);
            NativeCopy.get(buffer, 0, data, 0, n);
            boolean done = false;
            for (Rtnetlink.Message m : Rtnetlink.parse(data, n)) {
                if (m.seq() != seq) {
                    continue;
                }
                replies.add(m);
                done |= !dump || m.type() == Rtnetlink.NLMSG_DONE || m.type() == Rtnetlink.NLMSG_ERROR;
            }
            if (done) {
                return replies;
            }
        }
    }

    @Override
    public void close() {
        Sys.attempt(SyscallNr.CLOSE, fd);
        arena.close();
    }
}
