package jrun.linux.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * rtnetlink messages (rtnetlink(7), include/uapi/linux/rtnetlink.h, if_link.h, if_addr.h): a
 * {@code nlmsghdr}, a fixed part ({@code ifinfomsg} for links, {@code ifaddrmsg} for addresses)
 * and attributes, each padded to 4 bytes, in the host's byte order.
 */
final class Rtnetlink {
    static final int NLMSG_HDRLEN = 16;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int RTM_NEWLINK = 16;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_GETADDR = 22;

    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_MULTI = 0x2;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_DUMP = 0x300;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;

    static final int IFLA_IFNAME = 3;
    static final int IFLA_NET_NS_FD = 28;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_BROADCAST = 4;
    static final int IFA_FLAGS = 8;

    static final int IFF_UP = 0x1;
    static final int IFA_F_PERMANENT = 0x80;
    static final int RT_SCOPE_UNIVERSE = 0;
    static final int AF_UNSPEC = 0;

    /** The attributes an address is added with again in another namespace (not its label or lifetimes). */
    private static final int[] ADDRESS_ATTRIBUTES = {IFA_ADDRESS, IFA_LOCAL, IFA_BROADCAST};

    private Rtnetlink() {}

    /** A message being built; {@link #bytes} sets its length. */
    static final class Request {
        private final ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.nativeOrder());

        Request(int type, int flags, int seq) {
            b.putInt(0).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
        }

        /** {@code struct ifinfomsg}: family, type, index, flags, and which flags to change. */
        Request link(int index, int flags, int change) {
            b.put((byte) AF_UNSPEC).put((byte) 0).putShort((short) 0).putInt(index).putInt(flags).putInt(change);
            return this;
        }

        /** {@code struct ifaddrmsg} */
        Request address(int family, int prefixLength, int flags, int scope, int index) {
            b.put((byte) family).put((byte) prefixLength).put((byte) flags).put((byte) scope).putInt(index);
            return this;
        }

        Request attribute(int type, byte[] value) {
            b.putShort((short) (4 + value.length)).putShort((short) type).put(value);
            while (b.position() % 4 != 0) {
                b.put((byte) 0);
            }
            return this;
        }

        Request attribute(int type, int value) {
            return attribute(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
        }

        /** A NUL-terminated string attribute, as IFLA_IFNAME is. */
        Request attribute(int type, String value) {
            byte[] text = value.getBytes(StandardCharsets.UTF_8);
            byte[] z = new byte[text.length + 1];
            System.arraycopy(text, 0, z, 0, text.length);
            return attribute(type, z);
        }

        byte[] bytes() {
            b.putInt(0, b.position());
            byte[] out = new byte[b.position()];
            b.get(0, out);
            return out;
        }
    }

    /** A received message: its header's type, flags and sequence number, and what follows the header. */
    record Message(int type, int flags, int seq, ByteBuffer payload) {
        /** For NLMSG_ERROR: 0 for an acknowledgement, else a negative errno. */
        int error() {
            return payload.getInt(0);
        }
    }

    /** A link: its index and flags ({@code IFF_UP}, ...). */
    record Link(int index, int flags) {}

    /**
     * An address of a link.
     *
     * @param flags IFA_FLAGS when present (it has the bits past the first 8), else ifa_flags
     * @param attributes the attributes to add it with again, by type
     */
    record Address(int family, int prefixLength, int flags, int scope, int index, Map<Integer, byte[]> attributes) {
        /** runtime-spec: only permanent addresses of global scope move with their device. */
        boolean moves() {
            return (flags & IFA_F_PERMANENT) != 0 && scope == RT_SCOPE_UNIVERSE;
        }
    }

    /** The messages of one datagram. */
    static List<Message> parse(byte[] data, int length) {
        ByteBuffer b = ByteBuffer.wrap(data, 0, length).order(ByteOrder.nativeOrder());
        List<Message> out = new ArrayList<>();
        int at = 0;
        while (at + NLMSG_HDRLEN <= length) {
            int len = b.getInt(at);
            if (len < NLMSG_HDRLEN || at + len > length) {
                break;
            }
            ByteBuffer payload = ByteBuffer.wrap(data, at + NLMSG_HDRLEN, len - NLMSG_HDRLEN).slice()
                    .order(ByteOrder.nativeOrder());
            out.add(new Message(b.getShort(at + 4) & 0xffff, b.getShort(at + 6) & 0xffff, b.getInt(at + 8), payload));
            at += align(len);
        }
        return out;
    }

    static Link link(Message m) {
        ByteBuffer p = m.payload();
        return new Link(p.getInt(4), p.getInt(8));
    }

    static Address address(Message m) {
        ByteBuffer p = m.payload();
        int flags = p.get(2) & 0xff;
        Map<Integer, byte[]> kept = new LinkedHashMap<>();
        for (Map.Entry<Integer, byte[]> a : attributes(p, 8).entrySet()) {
            if (a.getKey() == IFA_FLAGS && a.getValue().length == 4) {
                flags = ByteBuffer.wrap(a.getValue()).order(ByteOrder.nativeOrder()).getInt();
            }
            for (int type : ADDRESS_ATTRIBUTES) {
                if (a.getKey() == type) {
                    kept.put(type, a.getValue());
                }
            }
        }
        return new Address(p.get(0) & 0xff, p.get(1) & 0xff, flags, p.get(3) & 0xff, p.getInt(4), kept);
    }

    /** The attributes after a fixed part of {@code offset} bytes, by type (the last of a type wins). */
    static Map<Integer, byte[]> attributes(ByteBuffer payload, int offset) {
        Map<Integer, byte[]> out = new LinkedHashMap<>();
        int at = offset;
        while (at + 4 <= payload.limit()) {
            int len = payload.getShort(at) & 0xffff;
            if (len < 4 || at + len > payload.limit()) {
                break;
            }
            byte[] value = new byte[len - 4];
            payload.get(at + 4, value);
            out.put(payload.getShort(at + 2) & 0x3fff, value); // without NLA_F_NESTED, NLA_F_NET_BYTEORDER
            at += align(len);
        }
        return out;
    }

    private static int align(int length) {
        return (length + 3) & ~3;
    }
}
