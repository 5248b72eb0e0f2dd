package jrun.linux.cgroups;

import static jrun.linux.cgroups.DeviceRules.ALL;
import static jrun.linux.cgroups.DeviceRules.ANY;
import static jrun.linux.cgroups.DeviceRules.MKNOD;
import static jrun.linux.cgroups.DeviceRules.READ;
import static jrun.linux.cgroups.DeviceRules.WRITE;
import static jrun.linux.cgroups.Fixtures.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jrun.base.JrunException;
import jrun.linux.cgroups.DeviceRules.Rule;
import org.junit.jupiter.api.Test;

class DeviceRulesTest {
    private static DeviceRules.Result reduce(String devicesJson) {
        return DeviceRules.reduce(DeviceRules.withDefaults(resources("{\"devices\": " + devicesJson + "}").devices()));
    }

    private static List<String> v1(DeviceRules.Result r) {
        return DeviceRules.v1Writes(r).stream().map(w -> w.file() + " " + w.value()).toList();
    }

    @Test
    void denyAllThenRuncsDefaultsIsAWhitelistOfTheStandardDevices() {
        DeviceRules.Result r = reduce("[{\"allow\": false, \"access\": \"rwm\"}]");
        assertFalse(r.defaultAllow());
        assertEquals(List.of("devices.deny a", "devices.allow c *:* m", "devices.allow b *:* m", "devices.allow c 1:3 rwm",
                "devices.allow c 1:8 rwm", "devices.allow c 1:7 rwm", "devices.allow c 5:0 rwm", "devices.allow c 1:5 rwm",
                "devices.allow c 1:9 rwm", "devices.allow c 136:* rwm", "devices.allow c 5:2 rwm",
                "devices.allow c 10:200 rwm"), v1(r));
    }

    @Test
    void noRulesStillDenyWhatTheDefaultsDoNotAllowAsRuncDoes() {
        assertEquals(reduce("[{\"allow\": false, \"access\": \"rwm\"}]"), reduce("[]"));
    }

    @Test
    void aConfigRuleNamingADefaultDeviceReplacesItsDefault() {
        DeviceRules.Result r = reduce("[{\"allow\": false, \"access\": \"rwm\"},"
                + " {\"allow\": false, \"type\": \"c\", \"major\": 1, \"minor\": 3, \"access\": \"w\"}]");
        assertTrue(r.exceptions().stream().noneMatch(e -> e.major() == 1 && e.minor() == 3), r.toString());
        DeviceRules.Result readOnly = reduce("[{\"allow\": false, \"access\": \"rwm\"},"
                + " {\"allow\": true, \"type\": \"c\", \"major\": 1, \"minor\": 3, \"access\": \"rm\"}]");
        assertTrue(readOnly.exceptions().contains(new Rule(true, 'c', 1, 3, READ | MKNOD)), readOnly.toString());
    }

    @Test
    void rulesFollowV1SemanticsInOrder() {
        DeviceRules.Result r = DeviceRules.reduce(List.of(
                new Rule(true, 'a', ANY, ANY, ALL),
                new Rule(false, 'c', 1, 3, WRITE),
                new Rule(false, 'c', 1, 3, READ),
                new Rule(true, 'c', 1, 3, WRITE),
                new Rule(false, 'b', 8, ANY, ALL)));
        assertTrue(r.defaultAllow());
        assertEquals(List.of(new Rule(false, 'c', 1, 3, READ), new Rule(false, 'b', 8, ANY, ALL)), r.exceptions());
        DeviceRules.Result reset = DeviceRules.reduce(List.of(new Rule(false, 'c', 1, 3, WRITE), new Rule(false, 'a', 5, 5, READ)));
        assertEquals(new DeviceRules.Result(false, List.of()), reset);
    }

    @Test
    void punchingAHoleIntoAWildcardIsRefused() {
        JrunException e = assertThrows(JrunException.class, () -> DeviceRules.reduce(List.of(
                new Rule(false, 'a', ANY, ANY, ALL), new Rule(true, 'c', ANY, ANY, READ | WRITE),
                new Rule(false, 'c', 1, 3, WRITE))));
        assertTrue(e.getMessage().contains("\"deny c 1:3 w\" would punch a hole into the wider rule \"c *:* rw\""),
                e.getMessage());
    }
}
