package jrun.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PtraceReachTest {
    @Test
    void theBoundingSetIsReadFromTheStatusFile() {
        String status = "Name:\tsh\nCapInh:\t0000000000000000\nCapBnd:\t00000000a80425fb\nCapAmb:\t0000000000000000\n";
        assertEquals(0xa80425fbL, PtraceReach.boundingSet(status));
        assertEquals(0, PtraceReach.boundingSet(status) & (1L << 19), "Docker's default set lacks CAP_SYS_PTRACE");
        assertEquals(-1L, PtraceReach.boundingSet("Name:\tx\n"), "unknown: assume every capability");
    }

    @Test
    void aMappingIsFoundByItsDeviceAndInodeNotItsPath() {
        String maps = """
                55d0c0a00000-55d0c0a01000 r--p 00000000 fe:00 262146                     /usr/bin/sleep
                7fac18e00000-7fac190e3000 r--p 00000000 fe:00 328747                     /usr/lib/jvm/x/lib/server/libjvm.so
                7fac1a500000-7fac1a600000 rw-p 00000000 00:00 0
                7fac1a600000-7fac1a700000 r--p 00000000 00:01 3177                       /memfd:jrun-mapped (deleted)
                """;
        assertTrue(PtraceReach.mapsFile(maps, "fe:00 328747"));
        assertFalse(PtraceReach.mapsFile(maps, "fe:00 328748"), "another inode of the same device");
        assertFalse(PtraceReach.mapsFile(maps, "fe:01 328747"), "the same inode number on another device");
        assertFalse(PtraceReach.mapsFile(maps.replace("fe:00 328747", "00:01 3178"), "fe:00 328747"),
                "the replaced mappings (a sealed memfd) name another file, whatever the path says");
        assertFalse(PtraceReach.mapsFile("", "fe:00 328747"));
    }
}
