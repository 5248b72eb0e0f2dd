package jrun.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Signal names as {@code kill} takes them, the way runc reads them. */
class SignalsTest {
    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "KILL, 9", "SIGKILL, 9", "9, 9", "kill, 9", "SigTerm, 15", "TERM, 15", "HUP, 1", "USR1, 10", "USR2, 12",
            "STOP, 19", "CONT, 18", "WINCH, 28", "SYS, 31", "IOT, 6", "SIGCLD, 17", "POLL, 29", "' INT ', 2",
            "RTMIN, 34", "SIGRTMIN, 34", "RTMIN+3, 37", "RTMAX, 64", "RTMAX-1, 63", "RTMAX-30, 34", "64, 64", "1, 1"})
    void parsesNamesNumbersAndRealTimeOffsets(String spec, int number) {
        assertEquals(number, Signals.parse(spec));
    }

    @ParameterizedTest(name = "\"{0}\" is no signal")
    @ValueSource(strings = {"", "0", "65", "-9", "SIG", "FOO", "SIGFOO", "RTMIN-1", "RTMAX+1", "RTMIN+31", "RTMIN+x",
            "9x", "99999999999"})
    void refusesWhatIsNoSignal(String spec) {
        assertEquals(-1, Signals.parse(spec));
    }

    @Test
    void namesSignalsForMessages() {
        assertEquals("SIGTERM", Signals.name(15));
        assertEquals("SIGKILL", Signals.name(Signals.SIGKILL));
        assertEquals("SIGSYS", Signals.name(31));
        assertEquals("signal 40", Signals.name(40));
        assertEquals("signal 0", Signals.name(0));
    }
}
