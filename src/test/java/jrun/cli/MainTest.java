package jrun.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {
    private static boolean forks(String... argv) {
        return Main.forks(Args.parse("jrun", Main.GLOBAL_FLAGS, List.of(argv)));
    }

    @Test
    void theCommandsThatForkWarmUp() {
        assertTrue(forks("create", "--bundle", "b", "id"));
        assertTrue(forks("run", "id"));
        assertTrue(forks("exec", "id", "sh"));
        assertTrue(forks("--root", "/run/x", "--log=/tmp/l", "--debug", "run", "id"));
    }

    @Test
    void aForkingWordAnywhereButTheCommandDoesNot() {
        assertFalse(forks("delete", "run"));
        assertFalse(forks("--root", "run", "list"));
        assertFalse(forks("--log", "exec", "state", "create"));
        assertFalse(forks("help", "run"));
        assertFalse(forks("--version"));
        assertFalse(forks());
    }
}
