package jrun.linux;

import static jrun.json.Jackson.toJsonValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jrun.base.JrunException;
import jrun.spec.SpecReader;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

/** The container's process: where args[0] is looked for, limits and capability masks. */
class ProcessPlannerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ProcessPlan plan(String process) {
        return ProcessPlanner.plan(SpecReader.readProcess(toJsonValue(JSON.readTree(process)), "config.json"));
    }

    private static JrunException refused(String process) {
        return assertThrows(JrunException.class, () -> plan(process));
    }

    @Test
    void anArg0WithASlashIsTheOnlyCandidate() {
        assertEquals(List.of("/bin/sh"), ProcessPlanner.execCandidates("/bin/sh", List.of("PATH=/x")));
        assertEquals(List.of("./run"), ProcessPlanner.execCandidates("./run", List.of()));
    }

    @Test
    void aBareArg0IsLookedForInTheProcesssPathInOrderWithEmptyEntriesMeaningTheCwd() {
        assertEquals(List.of("/opt/bin/app", "./app", "/bin/app"),
                ProcessPlanner.execCandidates("app", List.of("HOME=/", "PATH=/opt/bin::/bin")));
    }

    @Test
    void withoutPathTheDefaultPathIsSearched() {
        assertEquals(List.of("/usr/local/sbin/sh", "/usr/local/bin/sh", "/usr/sbin/sh", "/usr/bin/sh", "/sbin/sh",
                "/bin/sh"), ProcessPlanner.execCandidates("sh", List.of("HOME=/root")));
    }

    @Test
    void identityCwdAndLimitsAreCarriedOver() {
        ProcessPlan p = plan("""
                {"args": ["app", "-v"], "env": ["A=1", "HOME=/home/app"], "cwd": "/work",
                 "user": {"uid": 1000, "gid": 1001, "additionalGids": [5, 6], "umask": 18},
                 "rlimits": [{"type": "RLIMIT_NOFILE", "soft": 1024, "hard": 4096},
                             {"type": "RLIMIT_CORE", "soft": 0, "hard": 0}],
                 "noNewPrivileges": true, "oomScoreAdj": -500}""");
        assertEquals(List.of("app", "-v"), p.args());
        assertEquals(List.of("A=1", "HOME=/home/app"), p.env());
        assertEquals("/work", p.cwd());
        assertEquals(1000, p.uid());
        assertEquals(1001, p.gid());
        assertEquals(List.of(5L, 6L), p.additionalGids());
        assertEquals(18L, p.umask());
        assertEquals(List.of(new ProcessPlan.Limit("RLIMIT_NOFILE", 7, 1024, 4096),
                new ProcessPlan.Limit("RLIMIT_CORE", 4, 0, 0)), p.rlimits());
        assertTrue(p.noNewPrivileges());
        assertEquals(-500L, p.oomScoreAdj());
    }

    @Test
    void anEmptyCwdIsTheRootAndNoCapabilitiesMeansKeepWhatInitHas() {
        ProcessPlan p = plan("{\"args\": [\"sh\"], \"cwd\": \"\"}");
        assertEquals("/", p.cwd());
        assertNull(p.capabilities());
        assertNull(p.umask());
    }

    @Test
    void capabilityNamesBecomeBitMasks() {
        ProcessPlan p = plan("""
                {"args": ["sh"], "cwd": "/",
                 "capabilities": {"bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW"], "effective": ["CAP_KILL"],
                                  "permitted": ["CAP_KILL", "CAP_CHOWN"], "inheritable": [], "ambient": ["CAP_KILL"]}}""");
        long chown = 1L;
        long kill = 1L << 5;
        long netRaw = 1L << 13;
        assertEquals(new CapabilitySets(chown | kill | netRaw, kill, kill | chown, 0, kill), p.capabilities());
    }

    /** The runtime-spec: not granted and warned about (ValidConfigsTest), not an error. */
    @Test
    void anUnknownCapabilityIsLeftOut() {
        ProcessPlan p = plan("""
                {"args": ["sh"], "cwd": "/", "capabilities": {"bounding": ["CAP_KILL", "CAP_FLY"]}}""");
        assertEquals(1L << 5, p.capabilities().bounding());
    }

    @Test
    void anUnknownRlimitIsRefusedWithItsPointer() {
        JrunException e = refused("""
                {"args": ["sh"], "cwd": "/", "rlimits": [{"type": "RLIMIT_NOFILE", "soft": 1, "hard": 1},
                                                          {"type": "RLIMIT_BOGUS", "soft": 1, "hard": 1}]}""");
        assertTrue(e.getMessage().startsWith("config.json: /process/rlimits/1/type: "), e.getMessage());
    }

    @Test
    void aProcessWithoutArgsIsRefused() {
        JrunException e = refused("{\"args\": [], \"cwd\": \"/\"}");
        assertTrue(e.getMessage().startsWith("config.json: /process/args: "), e.getMessage());
    }
}
