package jrun.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcStatTest {
    // A real line, from `cat /proc/self/stat`, with a command name that has spaces and ')'.
    static final String LINE = "4687 (we ird) (x) S 4679 4687 4687 0 -1 4194560 105 0 0 0 0 0 0 0 20 0 1 0 26518 "
            + "1597440 22 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

    @Test
    void parsesStateAndStartTimeCountingFromTheLastParenthesis() {
        ProcStat stat = ProcStat.parse(4687, LINE);
        assertEquals(new ProcStat(4687, 'S', 26518L), stat);
        assertTrue(ProcStat.parse(1, LINE.replace(") S ", ") Z ")).isZombie());
    }

    @Test
    void refusesWhatIsNotAStatLine() {
        assertThrows(IllegalArgumentException.class, () -> ProcStat.parse(1, "1 (x) S 2 3"));
        assertThrows(IllegalArgumentException.class, () -> ProcStat.parse(1, "garbage"));
    }

    @Test
    void readsThisProcessAndNothingForAbsentOnes() {
        ProcStat self = ProcStat.read((int) ProcessHandle.current().pid());
        assertEquals((int) ProcessHandle.current().pid(), self.pid());
        assertTrue(self.startTime() > 0);
        assertEquals(self, ProcStat.read((int) ProcessHandle.current().pid()), "the start time is stable");
        assertNull(ProcStat.read(0));
        assertNull(ProcStat.read(Integer.MAX_VALUE));   // above pid_max
    }
}
