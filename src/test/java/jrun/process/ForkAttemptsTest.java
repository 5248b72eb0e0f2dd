package jrun.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import jrun.base.JrunException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ForkAttemptsTest {
    @AfterEach
    void noSink() {
        ForkAttempts.logFrozenChildren(null);
    }

    @Test
    void everyFrozenChildIsLoggedAndTheThirdInARowFails() {
        List<String> log = new ArrayList<>();
        ForkAttempts.logFrozenChildren(log::add);
        ForkAttempts attempts = new ForkAttempts();
        attempts.hung(new ChildHungException(101));
        attempts.hung(new ChildHungException(102));
        JrunException e = assertThrows(JrunException.class, () -> attempts.hung(new ChildHungException(103)));
        assertTrue(e.getMessage().endsWith("3 times in a row"), e.getMessage());
        assertEquals(List.of(
                "the container's init process 101 froze in the JVM right after the fork and was killed (attempt 1 of 3)",
                "the container's init process 102 froze in the JVM right after the fork and was killed (attempt 2 of 3)",
                "the container's init process 103 froze in the JVM right after the fork and was killed (attempt 3 of 3)"),
                log);
    }
}
