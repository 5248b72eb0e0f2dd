package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The container's process: environment, working directory, identity, limits and privileges. */
class ProcessIT extends SandboxedIT {
    /** The fields of /proc/self/status, read by the container's process. */
    private Map<String, String> status(Consumer<ObjectNode> edit) {
        return ProcStatus.fields(sandbox.inside("cat /proc/self/status", edit));
    }

    /** The environment env(1) prints as the container's process itself: what execve gave it, nothing from a shell. */
    private List<String> environment(List<String> env, long uid) {
        Path bundle = sandbox.bundle(List.of("env"), c -> {
            ArrayNode e = ((ObjectNode) c.get("process")).putArray("env");
            env.forEach(e::add);
            ((ObjectNode) c.get("process").get("user")).put("uid", uid);
        });
        return sandbox.jrun().run("run", "-b", bundle.toString(), "env-" + uid).ok().stdout().lines().toList();
    }

    @Test
    void theEnvironmentIsExactlyTheConfigs() {
        List<String> env = List.of("PATH=/bin", "HOME=/data", "WITH_SPACES=a b  c", "WITH_EQUALS=x=y=z", "EMPTY=",
                sandbox.marker());
        assertEquals(env, environment(env, 0));
    }

    @Test
    void withoutHomeTheHomeOfTheUserInTheContainersPasswdIsAdded() {
        // runc's rule; the rootfs's /etc/passwd has root (/root) and nobody (/nonexistent)
        assertEquals(List.of("PATH=/bin", sandbox.marker(), "HOME=/root"),
                environment(List.of("PATH=/bin", sandbox.marker()), 0));
        assertEquals(List.of("PATH=/bin", sandbox.marker(), "HOME=/nonexistent"),
                environment(List.of("PATH=/bin", sandbox.marker()), 65534));
        assertEquals(List.of("PATH=/bin", sandbox.marker(), "HOME=/"),
                environment(List.of("PATH=/bin", sandbox.marker()), 4321));
    }

    @Test
    void theWorkingDirectoryIsCreatedWhenTheRootfsLacksIt() {
        assertTrue(Files.notExists(Bundles.exampleRootfs().resolve("srv")));
        String out = sandbox.inside("pwd; stat -c %F .", c -> ((ObjectNode) c.get("process")).put("cwd", "/srv/app/data"));
        assertEquals("/srv/app/data\ndirectory\n", out);
    }

    @Test
    void anExistingWorkingDirectoryIsUsed() {
        assertEquals("/etc\n", sandbox.inside("pwd", c -> ((ObjectNode) c.get("process")).put("cwd", "/etc")));
    }

    @Test
    void theUserGroupAndAdditionalGroupsAreTheConfigs() {
        String out = sandbox.inside("id; grep -E '^(Uid|Gid|Groups):' /proc/self/status", c -> {
            ObjectNode user = ((ObjectNode) c.get("process")).putObject("user");
            user.put("uid", 1000);
            user.put("gid", 1001);
            ArrayNode groups = user.putArray("additionalGids");
            groups.add(5);
            groups.add(2000);
        });
        assertEquals("""
                uid=1000 gid=1001 groups=5,2000
                Uid:\t1000\t1000\t1000\t1000
                Gid:\t1001\t1001\t1001\t1001
                Groups:\t5 2000\s
                """, out);
    }

    @Test
    void rlimitsAreSetSoftAndHard() throws Exception {
        // values unlike the host's, below nr_open so that even a plain process could set them
        String out = sandbox.inside("ulimit -Sn; ulimit -Hn; ulimit -Su; ulimit -Hu", c -> {
            ArrayNode limits = ((ObjectNode) c.get("process")).putArray("rlimits");
            ObjectNode nofile = limits.addObject();
            nofile.put("type", "RLIMIT_NOFILE");
            nofile.put("soft", 1234);
            nofile.put("hard", 5678);
            ObjectNode nproc = limits.addObject();
            nproc.put("type", "RLIMIT_NPROC");
            nproc.put("soft", 321);
            nproc.put("hard", 654);
        });
        assertEquals("1234\n5678\n321\n654\n", out);
    }

    @Test
    void theUmaskIsTheConfigsAnd0022ByDefault() {
        String configured = sandbox.inside("umask; touch /tmp/f; stat -c %a /tmp/f", c -> {
            ((ObjectNode) c.get("root")).put("readonly", false);
            ((ObjectNode) c.get("process").get("user")).put("umask", 077);
        });
        assertEquals("0077\n600\n", configured);
        assertEquals("0022\n", sandbox.inside("umask"));
    }

    @Test
    void noNewPrivilegesIsSetOnlyWhenAsked() {
        assertEquals("1", status(c -> ((ObjectNode) c.get("process")).put("noNewPrivileges", true)).get("NoNewPrivs"));
        assertEquals("0", status(c -> ((ObjectNode) c.get("process")).put("noNewPrivileges", false)).get("NoNewPrivs"));
    }

    @Test
    void theCapabilitySetsAreTheConfigs() {
        List<String> bounding = List.of("CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW", "CAP_SYS_CHROOT");
        List<String> effective = List.of("CAP_CHOWN", "CAP_KILL");
        List<String> inheritable = List.of("CAP_KILL");
        List<String> ambient = List.of("CAP_KILL");
        Map<String, String> s = status(c -> {
            ObjectNode caps = ((ObjectNode) c.get("process")).putObject("capabilities");
            bounding.forEach(caps.putArray("bounding")::add);
            effective.forEach(caps.putArray("effective")::add);
            bounding.forEach(caps.putArray("permitted")::add);
            inheritable.forEach(caps.putArray("inheritable")::add);
            ambient.forEach(caps.putArray("ambient")::add);
            ((ObjectNode) c.get("process").get("user")).put("uid", 1000);
        });
        // as uid 1000, execve keeps only the ambient set in the effective and permitted ones
        assertEquals(ProcStatus.capMask(bounding), s.get("CapBnd"));
        assertEquals(ProcStatus.capMask(inheritable), s.get("CapInh"));
        assertEquals(ProcStatus.capMask(ambient), s.get("CapAmb"));
        assertEquals(ProcStatus.capMask(ambient), s.get("CapPrm"));
        assertEquals(ProcStatus.capMask(ambient), s.get("CapEff"));
    }

    @Test
    void rootGetsExactlyTheConfiguredCapabilities() {
        // the example config: three capabilities; root keeps its bounding set through execve
        Map<String, String> s = status(c -> { });
        String three = ProcStatus.capMask(List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"));
        assertEquals(three, s.get("CapBnd"));
        assertEquals(three, s.get("CapEff"));
        assertEquals(three, s.get("CapPrm"));
        assertEquals("0000000000000000", s.get("CapInh"));
    }
}
