package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import jrun.linux.seccomp.SeccompFeatures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * The time namespace with clock offsets, personality, session keyrings, joining a pid namespace,
 * and the seccomp flags this kernel takes.
 */
class KernelFeaturesIT {
    @TempDir
    Path tmp;
    // Unique: an id names the container's cgroup /jrun/ID, which is machine-wide, so two
    // runs of the suite at once would share it.
    private final String keyringYesId = Sandbox.uniqueId("keyring-yes");
    private final String keyringNoId = Sandbox.uniqueId("keyring-no");
    private final String pidHolderId = Sandbox.uniqueId("pid-holder");

    @Test
    void clockOffsetsOfANewTimeNamespaceApplyInside() {
        Sandbox sandbox = new Sandbox(tmp);
        String uptime = sandbox.inside("cut -d' ' -f1 /proc/uptime", c -> {
            Configs.namespace(c, "time", null);
            ObjectNode boottime = Configs.linux(c).putObject("timeOffsets").putObject("boottime");
            boottime.put("secs", 31_536_000);
            boottime.put("nanosecs", 0);
        }).strip();
        assertTrue(Double.parseDouble(uptime) > 31_536_000, "uptime inside: " + uptime);
        String hostUptime = sandbox.inside("cut -d' ' -f1 /proc/uptime").strip();
        assertTrue(Double.parseDouble(hostUptime) < 31_536_000, "uptime without the offset: " + hostUptime);
    }

    @Test
    void linux32PersonalityShowsA32BitMachine() {
        Sandbox sandbox = new Sandbox(tmp);
        String machine = sandbox.inside("uname -m").strip();
        String narrowed = sandbox.inside("uname -m", c -> Configs.linux(c).putObject("personality").put("domain", "LINUX32"))
                .strip();
        assertEquals("x86_64".equals(machine) ? "i686" : "armv8l", narrowed, "machine without personality: " + machine);
    }

    @Test
    void createJoinsASessionKeyringNamedAfterTheContainerUnlessToldNotTo() throws Exception {
        Sandbox sandbox = new Sandbox(tmp);
        Path bundle = sandbox.bundle(List.of("true"), c -> { });
        Jrun jrun = sandbox.jrun();
        jrun.run("create", "--bundle", bundle.toString(), keyringYesId).ok();
        jrun.run("create", "--no-new-keyring", "--bundle", bundle.toString(), keyringNoId).ok();
        try {
            String keys = Files.readString(Path.of("/proc/keys"));
            assertTrue(keys.contains("keyring   " + keyringYesId + ":"), keys);
            assertFalse(keys.contains(keyringNoId + ":"), keys);
        } finally {
            jrun.run("delete", "--force", keyringYesId).ok();
            jrun.run("delete", "--force", keyringNoId).ok();
        }
    }

    @Test
    void aPidNamespaceJoinedByPathHoldsTheProcessAndShowsItsNeighbours() throws Exception {
        Sandbox sandbox = new Sandbox(tmp);
        Jrun jrun = sandbox.jrun();
        Path holder = sandbox.bundle(List.of("sleep", "300"), c -> { });
        jrun.run("run", "--detach", "--bundle", holder.toString(), pidHolderId).ok();
        try {
            String pid = Bundles.parse(jrun.run("state", pidHolderId).ok().stdout()).get("pid").asString();
            String out = sandbox.inside("echo $$; readlink /proc/self/ns/pid; ps -o comm",
                    c -> Configs.namespace(c, "pid", "/proc/" + pid + "/ns/pid"));
            List<String> lines = out.lines().map(String::strip).toList();
            assertNotEquals("1", lines.get(0), "the joining process is not the namespace's init: " + out);
            assertTrue(lines.contains("sleep"), "the holder's process is visible: " + out);
            assertEquals(Files.readSymbolicLink(Path.of("/proc", pid, "ns", "pid")).toString(), lines.get(1));
        } finally {
            jrun.run("delete", "--force", pidHolderId).ok();
        }
    }

    @Test
    void theKernelAcceptsTheSeccompFlagsJrunKnows() {
        // Host-dependent, so here and not in SeccompFeaturesTest: a 6.x kernel has all four
        // (WAIT_KILLABLE_RECV arrived in 5.19), and jrun features lists what it accepts.
        assertEquals(Set.copyOf(SeccompFeatures.knownFlags()), Set.copyOf(SeccompFeatures.supportedFlags()));
    }
}
