package jrun.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Which fds of a --preserve-fds range are the caller's. */
class CallerFdsTest {
    @Test
    void bin_jrunsListMarksOnlyTheListedFdsOfTheRange() {
        assertArrayEquals(new boolean[] {true, true, false, false, true},
                CallerFds.passedIn(" 0 1 10 2 251 3 4 7", null, 3, 8));
    }

    @Test
    void anEmptyListMeansTheCallerPassedNothing() {
        assertArrayEquals(new boolean[] {false, false}, CallerFds.passedIn("", new boolean[] {true, true, true, true, true}, 3, 5));
    }

    @Test
    void numbersOutsideTheRangeAreIgnoredAndAnythingElseSeparates() {
        assertArrayEquals(new boolean[] {false, true}, CallerFds.passedIn("99999999999999999999,x4 2 5", null, 3, 5));
    }

    @Test
    void withoutAListTheFdsOpenAtMainsStartCount() {
        assertArrayEquals(new boolean[] {true, false, false}, CallerFds.passedIn(null, new boolean[] {true, true, true, true}, 3, 6));
        assertArrayEquals(new boolean[] {false}, CallerFds.passedIn(null, null, 3, 4));
    }
}
