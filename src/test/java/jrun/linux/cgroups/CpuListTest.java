package jrun.linux.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class CpuListTest {
    @Test
    void rangesAndSinglesRoundTrip() {
        BitSet s = CpuList.parse("0-3,8, 10-11");
        assertEquals("{0, 1, 2, 3, 8, 10, 11}", s.toString());
        assertEquals("0-3,8,10-11", CpuList.format(s));
        assertEquals("", CpuList.format(CpuList.parse("")));
    }

    @Test
    void malformedListsAreRefused() {
        for (String bad : new String[] {"a", "1-", "3-1", "1,,2", "-1", "99999999"}) {
            assertThrows(IllegalArgumentException.class, () -> CpuList.parse(bad), bad);
        }
    }
}
