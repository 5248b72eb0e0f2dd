package jrun.rootless;

import static jrun.json.Jackson.toJsonValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jrun.base.CliException;
import jrun.base.JrunException;
import jrun.spec.SpecReader;
import jrun.sys.Identity;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

/** runc's rootless rules without a host: the default root, --rootless, the user's ids, a config's checks. */
class RootlessRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Identity USER = new Identity(1001, 1002);
    private static final SubordinateIds UIDS = SubordinateIds.parse("root:100000:65536\njrunrl:200000:65536\n", 1001,
            1001, "jrunrl");
    private static final SubordinateIds GIDS = SubordinateIds.parse("1001:300000:10\n", 1002, 1001, "jrunrl");

    @Test
    void theDefaultRootIsXdgRuntimeDirForAUserOtherThanRoot() {
        assertEquals("/run/user/1001/jrun", DefaultRoot.choose("/run/user/1001", true, false, null));
        assertEquals("/run/jrun", DefaultRoot.choose(null, true, false, null), "runc's fallback: /run/runc");
        assertEquals("/run/jrun", DefaultRoot.choose("", true, false, null));
        assertEquals("/run/jrun", DefaultRoot.choose("/run/user/0", false, false, "root"), "real root");
        assertEquals("/x/jrun", DefaultRoot.choose("/x", false, true, "alice"), "root in a user namespace");
        assertEquals("/x/jrun", DefaultRoot.choose("/x", false, true, null));
        assertEquals("/run/jrun", DefaultRoot.choose("/x", false, true, "root"));
    }

    @Test
    void rootlessTakesRuncsValues() {
        assertEquals(Boolean.TRUE, RootlessMode.parse("true"));
        assertEquals(Boolean.FALSE, RootlessMode.parse("false"));
        assertNull(RootlessMode.parse("auto"));
        assertNull(RootlessMode.parse(null));
        CliException e = assertThrows(CliException.class, () -> RootlessMode.parse("maybe"));
        assertTrue(e.getMessage().contains("\"maybe\" for --rootless"), e.getMessage());
        RootlessMode user = RootlessMode.of("auto", USER);
        assertTrue(user.euid() && user.cgroups() && user.stateRootless());
        RootlessMode forcedOff = RootlessMode.of("false", USER);
        assertTrue(forcedOff.euid());
        assertFalse(forcedOff.cgroups() || forcedOff.stateRootless());
        assertFalse(RootlessMode.of("true", new Identity(0, 0)).stateRootless(), "root's state is not rootless");
    }

    @Test
    void identityComesFromTheEffectiveIds() {
        Identity me = Identity.parseStatus("Name:\tx\nUid:\t1000\t1001\t1001\t1001\nGid:\t5\t1002\t1002\t1002\n");
        assertEquals(new Identity(1001, 1002), me);
        assertThrows(JrunException.class, () -> Identity.parseStatus("Name:\tx\n"));
    }

    @Test
    void aUserMayMapItsOwnIdAloneAndInsideItsSubordinateRanges() {
        assertTrue(UIDS.allows(1001, 1));
        assertFalse(UIDS.allows(1001, 2), "its own id only alone, as newuidmap");
        assertTrue(UIDS.allows(200000, 65536));
        assertTrue(UIDS.allows(265535, 1));
        assertFalse(UIDS.allows(265535, 2));
        assertFalse(UIDS.allows(100000, 1), "another user's range");
        assertFalse(UIDS.allows(200000, 0));
        assertTrue(GIDS.allows(300000, 10), "a line by uid");
        assertEquals("its own id 1001 and 200000-265535 in /etc/subuid", UIDS.describe(SubordinateIds.SUBUID));
        assertEquals("its own id 5 (it has no range in /etc/subgid)",
                SubordinateIds.parse("", 5, 1, "x").describe(SubordinateIds.SUBGID));
    }

    @Test
    void aRootlessConfigNeedsAUserNamespace() {
        JrunException e = refused("""
                "namespaces": [{"type": "mount"}, {"type": "pid"}]""", "");
        assertTrue(e.getMessage().startsWith("config.json: /linux/namespaces: jrun runs as uid 1001, not root"), e.getMessage());
    }

    @Test
    void aRootlessConfigNeedsMappingsOfTheUsersIds() {
        JrunException none = refused("""
                "namespaces": [{"type": "mount"}, {"type": "user"}]""", "");
        assertTrue(none.getMessage().startsWith("config.json: /linux/uidMappings: a rootless container needs at least "
                + "one uid mapping"), none.getMessage());
        JrunException notMine = refused(userNs("""
                [{"containerID": 0, "hostID": 1001, "size": 1}, {"containerID": 1, "hostID": 100000, "size": 10}]""",
                "[{\"containerID\": 0, \"hostID\": 1002, \"size\": 1}]"), "");
        assertEquals("config.json: /linux/uidMappings/1: host uids 100000-100009 are not this user's to map: it may "
                + "map its own id 1001 and 200000-265535 in /etc/subuid (each mapping inside one of these)",
                notMine.getMessage());
        JrunException gid = refused(userNs("[{\"containerID\": 0, \"hostID\": 1001, \"size\": 1}]",
                "[{\"containerID\": 0, \"hostID\": 1001, \"size\": 1}]"), "");
        assertTrue(gid.getMessage().startsWith("config.json: /linux/gidMappings/0: host gids 1001-1001"), gid.getMessage());
        check(userNs("""
                [{"containerID": 0, "hostID": 1001, "size": 1}, {"containerID": 1, "hostID": 200000, "size": 65536}]""",
                "[{\"containerID\": 0, \"hostID\": 1002, \"size\": 1}, {\"containerID\": 1, \"hostID\": 300000, \"size\": 10}]"),
                "");
    }

    @Test
    void mountOptionsMayOnlyNameMappedOwners() {
        String linux = userNs("[{\"containerID\": 0, \"hostID\": 1001, \"size\": 1}]",
                "[{\"containerID\": 0, \"hostID\": 1002, \"size\": 1}]");
        JrunException e = refused(linux, """
                "mounts": [{"destination": "/dev/pts", "type": "devpts", "source": "devpts",
                            "options": ["nosuid", "gid=5", "mode=0620"]}],""");
        assertTrue(e.getMessage().startsWith("config.json: /mounts/0/options/1: \"gid=5\": gid 5 is not mapped"),
                e.getMessage());
        check(linux, """
                "mounts": [{"destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": ["gid=0"]}],""");
    }

    @Test
    void aJoinedUserNamespaceBringsItsOwnMaps() {
        check("\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"user\", \"path\": \"/proc/7/ns/user\"}]", "");
    }

    private static String userNs(String uids, String gids) {
        return "\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"user\"}], \"uidMappings\": " + uids
                + ", \"gidMappings\": " + gids;
    }

    private static JrunException refused(String linux, String topLevel) {
        return assertThrows(JrunException.class, () -> check(linux, topLevel));
    }

    private static void check(String linux, String topLevel) {
        String json = """
                {"ociVersion": "1.2.0", "process": {"args": ["sh"], "cwd": "/"}, "root": {"path": "rootfs"}, %s
                 "linux": {%s}}""".formatted(topLevel, linux);
        RootlessConfig.check(SpecReader.read(toJsonValue(JSON.readTree(json))), USER, UIDS, GIDS);
    }
}
