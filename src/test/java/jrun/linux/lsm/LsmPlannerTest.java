package jrun.linux.lsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import jrun.base.JrunException;
import org.junit.jupiter.api.Test;

/** Which attr files get which label, and the refusals on a host without the LSM. */
class LsmPlannerTest {
    private static final LsmHost NONE = new LsmHost(false, false, false);
    private static final LsmHost APPARMOR_STACKED = new LsmHost(true, false, true);
    private static final LsmHost APPARMOR_ALONE = new LsmHost(true, false, false);
    private static final LsmHost SELINUX = new LsmHost(false, true, false);

    @Test
    void withoutLabelsTheHostIsNotEvenProbed() {
        assertEquals(List.of(), LsmPlanner.execLabels(null, "", null, () -> fail("probed the host")));
    }

    @Test
    void anAppArmorProfileGoesToApparmorsOwnAttrFileWhenTheKernelHasOne() {
        assertEquals(List.of(new ExecLabel("/proc/self/attr/apparmor/exec", "exec docker-default", "/process/apparmorProfile")),
                LsmPlanner.execLabels("docker-default", null, null, () -> APPARMOR_STACKED));
        assertEquals(List.of(new ExecLabel("/proc/self/attr/exec", "exec docker-default", "/process/apparmorProfile")),
                LsmPlanner.execLabels("docker-default", null, null, () -> APPARMOR_ALONE));
    }

    @Test
    void anSeLinuxLabelGoesToAttrExec() {
        assertEquals(List.of(new ExecLabel("/proc/self/attr/exec", "system_u:system_r:container_t:s0", "/process/selinuxLabel")),
                LsmPlanner.execLabels(null, "system_u:system_r:container_t:s0", "system_u:object_r:container_file_t:s0",
                        () -> SELINUX));
    }

    @Test
    void aLabelTheHostCannotApplyIsRefusedWithItsField() {
        JrunException aa = assertThrows(JrunException.class, () -> LsmPlanner.execLabels("p", null, null, () -> NONE));
        assertEquals("config.json: /process/apparmorProfile: asks for the AppArmor profile \"p\", but AppArmor is not "
                + "enabled, SELinux is not enabled on this host", aa.getMessage());
        JrunException se = assertThrows(JrunException.class,
                () -> LsmPlanner.execLabels(null, "l", null, () -> APPARMOR_STACKED));
        assertEquals("config.json: /process/selinuxLabel: asks for the SELinux label \"l\", but AppArmor is enabled, "
                + "SELinux is not enabled on this host", se.getMessage());
        JrunException mount = assertThrows(JrunException.class, () -> LsmPlanner.execLabels(null, null, "m", () -> NONE));
        assertEquals("config.json: /linux/mountLabel: asks for the SELinux mount label \"m\", but AppArmor is not "
                + "enabled, SELinux is not enabled on this host", mount.getMessage());
    }
}
