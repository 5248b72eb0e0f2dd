package jrun.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PtraceReachTest {
    @Test
    void theBoundingSetIsReadFromTheStatusFile() {
        String status = "Name:\tsh\nCapInh:\t0000000000000000\nCapBnd:\t00000000a80425fb\nCapAmb:\t0000000000000000\n";
        assertEquals(0xa80425fbL, PtraceReach.boundingSet(status));
        assertEquals(0, PtraceReach.boundingSet(status) & (1L << 19), "Docker's default set lacks CAP_SYS_PTRACE");
        assertEquals(-1L, PtraceReach.boundingSet("Name:\tx\n"), "unknown: assume every capability");
    }
}
