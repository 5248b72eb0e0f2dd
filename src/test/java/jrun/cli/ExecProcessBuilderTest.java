package jrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import jrun.base.CliException;
import jrun.spec.ProcessSpec;
import org.junit.jupiter.api.Test;

/** How exec lays its command line over the container's process, as runc does. */
class ExecProcessBuilderTest {
    private static final ProcessSpec.Capabilities CAPS = new ProcessSpec.Capabilities(List.of("CAP_KILL"),
            List.of("CAP_KILL"), List.of(), List.of("CAP_KILL"), List.of(), Map.of());

    private static ProcessSpec base() {
        return new ProcessSpec(false, null, new ProcessSpec.User(1, 2, 022L, List.of(10L), null, Map.of()),
                List.of("sleep", "60"), null, List.of("PATH=/bin", "A=1"), "/srv", CAPS, List.of(), false, null,
                null, null, null, null, null, Map.of());
    }

    private static ExecProcessBuilder.Overrides overrides(List<String> args, List<String> env, String cwd,
                                                          String user, List<String> gids, List<String> caps,
                                                          boolean tty, boolean nnp) {
        return new ExecProcessBuilder.Overrides(args, env, cwd, user, gids, caps, tty, nnp, null, null);
    }

    @Test
    void withoutFlagsTheContainersSettingsStayAndOnlyTheCommandChanges() {
        ProcessSpec p = ExecProcessBuilder.build(base(), overrides(List.of("ps"), List.of(), null, null, List.of(),
                List.of(), false, false));
        assertEquals(List.of("ps"), p.args());
        assertEquals(List.of("PATH=/bin", "A=1"), p.env());
        assertEquals("/srv", p.cwd());
        assertEquals(1, p.user().uid());
        assertEquals(2, p.user().gid());
        assertEquals(List.of(10L), p.user().additionalGids());
        assertEquals(CAPS, p.capabilities());
        assertFalse(p.terminal());
        assertFalse(p.noNewPrivileges());
    }

    @Test
    void envReplacesTheContainersValueOrIsAppended() {
        assertEquals(List.of("PATH=/usr/bin", "A=1", "B=2"),
                ExecProcessBuilder.env(List.of("PATH=/bin", "A=1"), List.of("PATH=/usr/bin", "B=2")));
        CliException e = assertThrows(CliException.class, () -> ExecProcessBuilder.env(List.of(), List.of("NOEQUALS")));
        assertTrue(e.getMessage().contains("KEY=VALUE"), e.getMessage());
    }

    @Test
    void userTakesUidAndOptionalGidAndAddsGroups() {
        ProcessSpec.User u = ExecProcessBuilder.user(base().user(), "1000:1001", List.of("20", "21"));
        assertEquals(1000, u.uid());
        assertEquals(1001, u.gid());
        assertEquals(List.of(10L, 20L, 21L), u.additionalGids());
        assertEquals(0, ExecProcessBuilder.user(base().user(), "7", List.of()).gid(), "runc: -u UID means gid 0");
        assertThrows(CliException.class, () -> ExecProcessBuilder.user(base().user(), "root", List.of()));
        assertThrows(CliException.class, () -> ExecProcessBuilder.user(base().user(), "-1", List.of()));
    }

    @Test
    void capGoesToBoundingEffectivePermittedAndToAmbientOnlyWithInheritable() {
        ProcessSpec.Capabilities c = ExecProcessBuilder.capabilities(CAPS, List.of("net_raw", "CAP_KILL"));
        assertEquals(List.of("CAP_KILL", "CAP_NET_RAW"), c.bounding());
        assertEquals(List.of("CAP_KILL", "CAP_NET_RAW"), c.effective());
        assertEquals(List.of("CAP_KILL", "CAP_NET_RAW"), c.permitted());
        assertEquals(List.of(), c.ambient());
        ProcessSpec.Capabilities withInheritable = new ProcessSpec.Capabilities(List.of(), List.of(), List.of("CAP_CHOWN"),
                List.of(), List.of(), Map.of());
        assertEquals(List.of("CAP_NET_RAW"), ExecProcessBuilder.capabilities(withInheritable, List.of("CAP_NET_RAW")).ambient());
        assertNull(ExecProcessBuilder.capabilities(null, List.of()));
    }

    @Test
    void ttyCwdAndNoNewPrivsOverride() {
        ProcessSpec p = ExecProcessBuilder.build(base(), overrides(List.of("sh"), List.of(), "/tmp", null, List.of(),
                List.of(), true, true));
        assertTrue(p.terminal());
        assertTrue(p.noNewPrivileges());
        assertEquals("/tmp", p.cwd());
    }

    @Test
    void aCommandIsRequired() {
        CliException e = assertThrows(CliException.class, () -> ExecProcessBuilder.build(base(),
                overrides(List.of(), List.of(), null, null, List.of(), List.of(), false, false)));
        assertTrue(e.getMessage().contains("no command"), e.getMessage());
    }
}
