package jrun.linux.cgroups;

import static jrun.json.Jackson.toJsonValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import jrun.json.JsonValue;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

/** Which limit a rootless container without a cgroup is refused for, and where jrun's own cgroups are. */
class RootlessCgroupsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonValue tree(String json) {
        return toJsonValue(JSON.readTree(json));
    }

    @Test
    void theFirstLimitIsNamedByItsPointerAndDeviceRulesDoNotCount() {
        assertEquals("/memory/limit", RootlessCgroups.firstLimit(tree("""
                {"devices": [{"allow": false, "access": "rwm"}], "memory": {"limit": 1048576}, "pids": {"limit": 5}}"""), ""));
        assertEquals("/blockIO/weightDevice/0/major", RootlessCgroups.firstLimit(tree("""
                {"memory": {}, "blockIO": {"weightDevice": [{"major": 8, "minor": 0, "weight": 10}]}}"""), ""));
        assertEquals("/unified/memory.high", RootlessCgroups.firstLimit(tree("{\"unified\": {\"memory.high\": \"1M\"}}"), ""));
        assertNull(RootlessCgroups.firstLimit(tree("{\"devices\": [{\"allow\": false}], \"cpu\": {}, \"hugepageLimits\": []}"), ""));
        assertNull(RootlessCgroups.firstLimit(JsonValue.MISSING, ""));
    }

    @Test
    void jrunsOwnCgroupsAreKeyedAsTheHierarchiesDirectories() {
        Map<String, String> own = RootlessCgroups.parseOwn("""
                12:cpu,cpuacct:/user.slice
                1:name=systemd:/user.slice/user-1001.slice/session-2.scope
                0::/user.slice/user-1001.slice/session-2.scope
                """);
        assertEquals("/user.slice", own.get("cpu,cpuacct"));
        assertEquals("/user.slice", own.get("cpuacct"));
        assertEquals("/user.slice/user-1001.slice/session-2.scope", own.get("systemd"));
        assertEquals("/user.slice/user-1001.slice/session-2.scope", own.get("unified"));
        assertEquals("/user.slice/user-1001.slice/session-2.scope", own.get(""));
    }

    @Test
    void relativeCgroupsPathsGoBelowTheParentGiven() {
        assertEquals("/user/shell/c1", CgroupPaths.resolve(null, "c1", "x", "/user/shell"));
        assertEquals("/user/shell/a/b", CgroupPaths.resolve("a/b", "c1", "x", "/user/shell"));
        assertEquals("/abs/c", CgroupPaths.resolve("/abs/c", "c1", "x", "/user/shell"));
        assertEquals("/c1", CgroupPaths.resolve("", "c1", "x", ""));
    }
}
