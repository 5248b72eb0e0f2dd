package jrun.linux.cgroups;

import static jrun.linux.cgroups.DeviceRules.ALL;
import static jrun.linux.cgroups.DeviceRules.ANY;
import static jrun.linux.cgroups.DeviceRules.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import jrun.linux.cgroups.DeviceRules.Rule;
import org.junit.jupiter.api.Test;

/**
 * The eBPF device filter loaded with bpf(2) and attached to a real cgroup2 directory: on this
 * hybrid host the unified hierarchy has no controllers, but the kernel runs device programs of
 * a task's cgroup2 cgroup all the same, so the v2 device path is tested here too (and under
 * pure v2 by CgroupV2IT). A shell moves itself into the cgroup and tries the devices.
 */
class CgroupDeviceFilterIT {
    /** The shell's error messages are dropped by the caller: redirecting them to /dev/null is one of the tries. */
    private static final String PROBE = "echo $$ > %s/cgroup.procs || exit 99; "
            + "echo x > /dev/null && echo null-write=ok || echo null-write=denied; "
            + "cat /dev/null && echo null-read=ok || echo null-read=denied; "
            + "[ \"$(head -c 1 /dev/zero | wc -c)\" = 1 ] && echo zero-read=ok || echo zero-read=denied";

    private static String probe(List<Rule> rules) throws IOException, InterruptedException {
        CgroupHost host = CgroupHost.detect();
        assumeTrue(host.unified() != null, "this host has no cgroup2 hierarchy");
        Path dir = host.unified().resolve("jrun-devices-it-" + UUID.randomUUID().toString().substring(0, 8));
        CgroupManager cgroup = new CgroupV2(host.unified(), dir);
        cgroup.create(null, DeviceRules.reduce(rules), "test");
        try {
            Process sh = new ProcessBuilder("sh", "-c", PROBE.formatted(dir)).redirectErrorStream(true).start();
            String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, sh.waitFor(), out);
            StringBuilder results = new StringBuilder();
            out.lines().filter(l -> l.contains("=")).forEach(l -> results.append(l).append('\n'));
            return results.toString();
        } finally {
            cgroup.destroy();
            assertFalse(Files.exists(dir));
        }
    }

    @Test
    void aDenyRuleOnAnAllowAllCgroupStopsExactlyThatAccess() throws Exception {
        assertEquals("null-write=denied\nnull-read=ok\nzero-read=ok\n",
                probe(List.of(new Rule(true, 'a', ANY, ANY, ALL), new Rule(false, 'c', 1, 3, WRITE))));
    }

    @Test
    void aWhitelistAllowsOnlyItsDevices() throws Exception {
        // /dev/null only: the shell's own redirections to /dev/null still work, /dev/zero does not.
        assertEquals("null-write=ok\nnull-read=ok\nzero-read=denied\n",
                probe(List.of(new Rule(false, 'a', ANY, ANY, ALL), new Rule(true, 'c', 1, 3, ALL))));
    }
}
