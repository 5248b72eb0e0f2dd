package jrun.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import jrun.spec.IdMapping;
import org.junit.jupiter.api.Test;

/** When an ordinary user's maps need newuidmap/newgidmap, and their command line. */
class UserNamespaceMapsTest {
    private static IdMapping map(long inside, long outside, long size) {
        return new IdMapping(inside, outside, size, Map.of());
    }

    @Test
    void onlyTheUsersOwnIdAloneIsWrittenDirectly() {
        assertTrue(UserNamespaceMaps.onlyOwn(List.of(map(0, 1001, 1)), 1001));
        assertTrue(UserNamespaceMaps.onlyOwn(List.of(map(5, 1001, 1)), 1001));
        assertFalse(UserNamespaceMaps.onlyOwn(List.of(map(0, 1001, 2)), 1001));
        assertFalse(UserNamespaceMaps.onlyOwn(List.of(map(0, 1001, 1), map(1, 200000, 65536)), 1001));
        assertFalse(UserNamespaceMaps.onlyOwn(List.of(map(0, 0, 1)), 1001));
    }

    @Test
    void theHelperGetsThePidAndEachMappingsTriple() {
        assertEquals(List.of("/usr/bin/newuidmap", "42", "0", "1001", "1", "1", "200000", "65536"),
                UserNamespaceMaps.helperArgv("/usr/bin/newuidmap", 42, List.of(map(0, 1001, 1), map(1, 200000, 65536))));
    }
}
