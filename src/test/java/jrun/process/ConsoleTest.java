package jrun.process;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jrun.base.JrunException;
import org.junit.jupiter.api.Test;

/** runc's rules for where a terminal goes. */
class ConsoleTest {
    @Test
    void aDetachedTerminalNeedsAConsoleSocket() {
        JrunException e = assertThrows(JrunException.class, () -> Console.checkUsage(true, null, true));
        assertTrue(e.getMessage().contains("console socket"), e.getMessage());
        assertDoesNotThrow(() -> Console.checkUsage(true, "/run/x.sock", true));
        assertDoesNotThrow(() -> Console.checkUsage(true, null, false), "a foreground run relays the terminal itself");
    }

    @Test
    void aConsoleSocketNeedsATerminal() {
        assertThrows(JrunException.class, () -> Console.checkUsage(false, "/run/x.sock", true));
        assertDoesNotThrow(() -> Console.checkUsage(false, "", true));
        assertDoesNotThrow(() -> Console.checkUsage(false, null, false));
    }

    @Test
    void connectingToNothingNamesTheFlagAndThePath() {
        JrunException e = assertThrows(JrunException.class, () -> Console.connect("/nonexistent/jrun-console.sock"));
        assertTrue(e.getMessage().contains("--console-socket") && e.getMessage().contains("/nonexistent/jrun-console.sock"),
                e.getMessage());
    }
}
