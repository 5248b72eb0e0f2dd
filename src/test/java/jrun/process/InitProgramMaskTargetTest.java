package jrun.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import jrun.linux.MountStep;
import org.junit.jupiter.api.Test;

/** Which mount a masked or read-only path is resolved from. */
class InitProgramMaskTargetTest {
    private static MountStep.Filesystem fs(String type, String destination) {
        return new MountStep.Filesystem(type, type, destination, List.of(), 0, 0, false, "/mounts/0");
    }

    @Test
    void aPathUnderProcIsResolvedFromTheProcMount() {
        MountStep proc = fs("proc", "/proc");
        List<MountStep> mounts = List.of(fs("tmpfs", "/dev"), proc, fs("sysfs", "/sys"));
        assertSame(proc, InitProgram.lastMountOver(mounts, "/proc/sys/kernel"));
        assertEquals("sys/kernel", InitProgram.beneath(proc, "/proc//sys/kernel/"));
        assertEquals(".", InitProgram.beneath(proc, "/proc"));
        assertNull(InitProgram.lastMountOver(mounts, "/procfs/x"), "a sibling whose name starts the same");
    }

    @Test
    void aLaterMountOverTheSamePlaceOrDeeperWins() {
        MountStep proc = fs("proc", "/proc");
        MountStep hiding = fs("tmpfs", "/proc");
        MountStep deeper = fs("tmpfs", "/proc/acpi");
        assertSame(hiding, InitProgram.lastMountOver(List.of(proc, hiding), "/proc/kcore"));
        assertSame(deeper, InitProgram.lastMountOver(List.of(proc, deeper), "/proc/acpi/x"));
        assertSame(proc, InitProgram.lastMountOver(List.of(proc, deeper), "/proc/kcore"));
    }

    @Test
    void aRemountAddsNoMountAndDotsResolveInTheRoot() {
        MountStep proc = fs("proc", "/proc");
        assertSame(proc, InitProgram.lastMountOver(List.of(proc, MountStep.Remount.readonly("/proc", "/mounts/0")), "/proc/x"));
        assertNull(InitProgram.lastMountOver(List.of(proc), "/proc/../etc/passwd"));
    }
}
