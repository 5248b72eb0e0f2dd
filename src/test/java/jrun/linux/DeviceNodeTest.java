package jrun.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Device numbers in the kernel's dev_t encoding, and file types. */
class DeviceNodeTest {
    private static DeviceNode node(char type, long major, long minor) {
        return new DeviceNode("/dev/x", type, major, minor, 0666, 0, 0, false, "test");
    }

    @Test
    void smallNumbersAreTheClassicMajorTimes256PlusMinor() {
        assertEquals(0x103, node('c', 1, 3).dev());
        assertEquals(0xae5, node('c', 10, 229).dev());
        assertEquals(0x500, node('c', 5, 0).dev());
        assertEquals(0, node('p', 0, 0).dev());
    }

    @Test
    void largeNumbersSpreadOverTheHighBitsAsGlibcsMakedev() {
        // minor 0x12345: low byte at bits 0-7, the rest at bits 20-31; major 0x1001: low 12 bits at 8-19, the rest at 44+
        assertEquals(0x45L | (0x123L << 20) | (0x001L << 8) | (0x1L << 44), node('b', 0x1001, 0x12345).dev());
        // every bit of both 32-bit numbers lands somewhere, and nowhere twice
        assertEquals(-1L, node('b', 0xffffffffL, 0xffffffffL).dev());
        // 259:0 is an NVMe namespace on many hosts: 0x10300
        assertEquals(0x10300, node('b', 259, 0).dev());
    }

    @Test
    void fileTypesFollowTheDeviceType() {
        assertEquals(DeviceNode.S_IFCHR, node('c', 1, 3).fileType());
        assertEquals(DeviceNode.S_IFBLK, node('b', 7, 0).fileType());
        assertEquals(DeviceNode.S_IFIFO, node('p', 0, 0).fileType());
        assertEquals(0020000, DeviceNode.S_IFCHR);
        assertEquals(0060000, DeviceNode.S_IFBLK);
        assertEquals(0010000, DeviceNode.S_IFIFO);
    }
}
