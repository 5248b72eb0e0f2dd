package jrun.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** runc's HOME rule for a process whose environment has none. */
class ProcessPlannerHomeTest {
    private static final String PASSWD = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";

    @Test
    void homeComesFromTheContainersPasswdForTheUid() {
        assertEquals(List.of("PATH=/bin", "HOME=/root"), ProcessPlanner.withHome(List.of("PATH=/bin"), 0, () -> PASSWD));
        assertEquals(List.of("HOME=/nonexistent"), ProcessPlanner.withHome(List.of(), 65534, () -> PASSWD));
    }

    @Test
    void anUnknownUidOrNoPasswdGetsSlash() {
        assertEquals(List.of("HOME=/"), ProcessPlanner.withHome(List.of(), 1234, () -> PASSWD));
        assertEquals(List.of("HOME=/"), ProcessPlanner.withHome(List.of(), 0, () -> null));
    }

    @Test
    void anExplicitHomeIsKeptAndPasswdNotRead() {
        List<String> env = List.of("HOME=/data");
        assertEquals(env, ProcessPlanner.withHome(env, 0, () -> {
            throw new AssertionError("passwd read although HOME is set");
        }));
    }
}
