package jrun.linux.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** rtnetlink messages as the kernel lays them out (checked byte by byte against rtnetlink.h's structs). */
class RtnetlinkTest {
    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
    }

    @Test
    void aMoveRequestIsHeaderIfinfomsgAndPaddedAttributes() {
        byte[] m = new Rtnetlink.Request(Rtnetlink.RTM_NEWLINK, Rtnetlink.NLM_F_REQUEST | Rtnetlink.NLM_F_ACK, 7)
                .link(14, 0, 0).attribute(Rtnetlink.IFLA_NET_NS_FD, 9).attribute(Rtnetlink.IFLA_IFNAME, "eth7").bytes();
        ByteBuffer b = le(m);
        // nlmsghdr 16 + ifinfomsg 16 + fd attribute 8 + "eth7\0" attribute 4+5 padded to 12
        assertEquals(52, m.length);
        assertEquals(52, b.getInt(0));
        assertEquals(Rtnetlink.RTM_NEWLINK, b.getShort(4));
        assertEquals(Rtnetlink.NLM_F_REQUEST | Rtnetlink.NLM_F_ACK, b.getShort(6));
        assertEquals(7, b.getInt(8));
        assertEquals(14, b.getInt(16 + 4), "ifi_index");
        assertEquals(8, b.getShort(32));
        assertEquals(Rtnetlink.IFLA_NET_NS_FD, b.getShort(34));
        assertEquals(9, b.getInt(36));
        assertEquals(9, b.getShort(40), "the attribute's length excludes its padding");
        assertEquals(Rtnetlink.IFLA_IFNAME, b.getShort(42));
        assertArrayEquals(new byte[] {'e', 't', 'h', '7', 0, 0, 0, 0}, java.util.Arrays.copyOfRange(m, 44, 52));
    }

    @Test
    void anUpRequestChangesOnlyIffUp() {
        ByteBuffer b = le(new Rtnetlink.Request(Rtnetlink.RTM_NEWLINK, 5, 1).link(3, Rtnetlink.IFF_UP,
                Rtnetlink.IFF_UP).bytes());
        assertEquals(Rtnetlink.IFF_UP, b.getInt(16 + 8), "ifi_flags");
        assertEquals(Rtnetlink.IFF_UP, b.getInt(16 + 12), "ifi_change");
    }

    /** Two messages in one datagram: an address (with IFA_FLAGS) and NLMSG_DONE. */
    @Test
    void aDumpDatagramParsesIntoItsMessagesAndAddressesKeepWhatTheyAreAddedWith() {
        byte[] address = new Rtnetlink.Request(Rtnetlink.RTM_NEWADDR, Rtnetlink.NLM_F_MULTI, 3)
                .address(2, 24, 0, Rtnetlink.RT_SCOPE_UNIVERSE, 14)
                .attribute(Rtnetlink.IFA_ADDRESS, new byte[] {(byte) 192, 0, 2, 10})
                .attribute(Rtnetlink.IFA_LOCAL, new byte[] {(byte) 192, 0, 2, 10})
                .attribute(3 /* IFA_LABEL */, "sfv0")
                .attribute(Rtnetlink.IFA_FLAGS, Rtnetlink.IFA_F_PERMANENT).bytes();
        byte[] done = new Rtnetlink.Request(Rtnetlink.NLMSG_DONE, Rtnetlink.NLM_F_MULTI, 3).attribute(0, 0).bytes();
        byte[] datagram = new byte[address.length + done.length + 8];
        System.arraycopy(address, 0, datagram, 0, address.length);
        System.arraycopy(done, 0, datagram, address.length, done.length);

        List<Rtnetlink.Message> messages = Rtnetlink.parse(datagram, address.length + done.length);
        assertEquals(2, messages.size());
        assertEquals(Rtnetlink.NLMSG_DONE, messages.get(1).type());
        Rtnetlink.Address a = Rtnetlink.address(messages.get(0));
        assertEquals(2, a.family());
        assertEquals(24, a.prefixLength());
        assertEquals(14, a.index());
        assertTrue(a.moves(), "permanent (from IFA_FLAGS), global scope");
        assertEquals(List.of(Rtnetlink.IFA_ADDRESS, Rtnetlink.IFA_LOCAL), List.copyOf(a.attributes().keySet()),
                "not its label, which names the host interface");
    }

    @Test
    void dynamicOrLinkScopeAddressesStay() {
        assertFalse(new Rtnetlink.Address(10, 64, 0, 0, 1, java.util.Map.of()).moves(), "not permanent");
        assertFalse(new Rtnetlink.Address(10, 64, Rtnetlink.IFA_F_PERMANENT, 253, 1, java.util.Map.of()).moves(),
                "link scope");
    }

    @Test
    void anErrorMessageCarriesTheNegativeErrno() {
        byte[] ack = new Rtnetlink.Request(Rtnetlink.NLMSG_ERROR, 0, 4).attribute(0, new byte[0]).bytes();
        le(ack).putInt(16, -17);
        Rtnetlink.Message m = Rtnetlink.parse(ack, ack.length).get(0);
        assertEquals(-17, m.error());
    }
}
