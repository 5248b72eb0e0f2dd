package jrun.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoggingBinaryTest {
    /** containerd passes the query as KEY VALUE arguments, the first value of each key only. */
    @Test
    void theQueryBecomesTheArguments() {
        assertEquals(List.of(), LoggingBinary.arguments(null));
        assertEquals(List.of("dir", "/var/log/c 1", "flag"), LoggingBinary.arguments("dir=%2Fvar%2Flog%2Fc+1&flag"));
        assertEquals(List.of("a", "1", "b", ""), LoggingBinary.arguments("a=1&b=&a=2"));
    }
}
