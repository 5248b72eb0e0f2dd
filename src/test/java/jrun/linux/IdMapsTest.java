package jrun.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading /proc/PID/uid_map and choosing the owners of tmpcopyup's copies in a user namespace. */
class IdMapsTest {
    private static IdMaps maps(String uidMap, String gidMap) {
        return new IdMaps(IdMaps.parse(uidMap), IdMaps.parse(gidMap));
    }

    @Test
    void theHostsMapsAreTheIdentity() {
        String all = "         0          0 4294967295\n";
        assertTrue(maps(all, all).identity());
        assertFalse(maps("0 100000 65536\n", all).identity());
    }

    @Test
    void mappedOwnersStayAndOthersBecomeTheOverflowIdAsTheContainerSeesIt() {
        IdMaps m = maps("         0     100000      65536\n", "0 200000 1000\n65534 300000 1\n");
        assertEquals(List.of(new IdMaps.Range(0, 100000, 65536)), m.uids());
        assertEquals(100000, m.uidOutside(0));
        assertEquals(100123, m.ownerUid(100123));
        assertEquals(165534, m.ownerUid(0)); // the host's root: nobody inside
        assertEquals(200000, m.gidOutside(0));
        assertEquals(300000, m.ownerGid(5));
        // no overflow id mapped: the container's root
        IdMaps small = maps("0 100000 10\n", "0 100000 10\n");
        assertEquals(100000, small.ownerUid(0));
        assertEquals(-1, small.uidOutside(10));
    }
}
