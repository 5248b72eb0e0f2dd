package jrun.linux.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jrun.base.JrunException;
import org.junit.jupiter.api.Test;

/** The values runc 1.1 computes for the same inputs. */
class ConversionsTest {
    @Test
    void sharesToWeightIsRuncsLinearMapping() {
        assertEquals(0, Conversions.sharesToWeight(0));
        assertEquals(1, Conversions.sharesToWeight(2));
        assertEquals(39, Conversions.sharesToWeight(1024));
        assertEquals(10000, Conversions.sharesToWeight(262144));
    }

    @Test
    void blkioWeightToIoWeight() {
        assertEquals(0, Conversions.blkioToIoWeight(0));
        assertEquals(1, Conversions.blkioToIoWeight(10));
        assertEquals(4950, Conversions.blkioToIoWeight(500));
        assertEquals(10000, Conversions.blkioToIoWeight(1000));
    }

    @Test
    void swapIsMemoryPlusSwapOnV1AndSwapAloneOnV2() {
        assertEquals(32 << 20, Conversions.swapToV2(96 << 20, 64 << 20, "/memory/swap"));
        assertEquals(0, Conversions.swapToV2(64 << 20, 64 << 20, "/memory/swap"));
        assertEquals(-1, Conversions.swapToV2(-1, 64 << 20, "/memory/swap"));
        assertEquals(0, Conversions.swapToV2(0, 64 << 20, "/memory/swap"));
        assertEquals(-1, Conversions.swapToV2(0, -1, "/memory/swap"));
        assertThrows(JrunException.class, () -> Conversions.swapToV2(32 << 20, 64 << 20, "/memory/swap"));
        assertThrows(JrunException.class, () -> Conversions.swapToV2(32 << 20, 0, "/memory/swap"));
    }
}
