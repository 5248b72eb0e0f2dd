package jrun.linux.lsm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import jrun.base.JrunException;

/**
 * Decides the LSM labels of a container: {@code process.apparmorProfile},
 * {@code process.selinuxLabel} and {@code linux.mountLabel}.
 *
 * <p>A label the host cannot apply is refused before any process is created, naming the field.
 * That is what runc does too, only later and less clearly (measured here with runc 1.1.5 on a
 * host without either LSM: an apparmorProfile fails init with "write /proc/self/attr/exec:
 * invalid argument", a selinuxLabel fails validation, a mountLabel fails the first tmpfs mount
 * with EINVAL). Running the container unconfined instead would drop the confinement its author
 * asked for without a word.
 */
public final class LsmPlanner {
    private LsmPlanner() {}

    /**
     * The attr writes the init makes before execve; empty when no label is asked for. The host
     * is only probed when one is.
     */
    public static List<ExecLabel> execLabels(String apparmorProfile, String selinuxLabel, String mountLabel,
                                             Supplier<LsmHost> hostSupplier) {
        boolean aa = notEmpty(apparmorProfile);
        boolean se = notEmpty(selinuxLabel);
        if (!aa && !se && !notEmpty(mountLabel)) {
            return List.of();
        }
        LsmHost host = hostSupplier.get();
        List<ExecLabel> labels = new ArrayList<>();
        if (aa) {
            if (!host.appArmor()) {
                throw refuse("/process/apparmorProfile", "asks for the AppArmor profile \"" + apparmorProfile
                        + "\", but " + host.describe());
            }
            // Stacking kernels give AppArmor its own directory; older ones share attr/exec.
            String attr = host.appArmorAttrDirectory() ? "/proc/self/attr/apparmor/exec" : "/proc/self/attr/exec";
            labels.add(new ExecLabel(attr, "exec " + apparmorProfile, "/process/apparmorProfile"));
        }
        if (se) {
            if (!host.seLinux()) {
                throw refuse("/process/selinuxLabel", "asks for the SELinux label \"" + selinuxLabel + "\", but "
                        + host.describe());
            }
            labels.add(new ExecLabel("/proc/self/attr/exec", selinuxLabel, "/process/selinuxLabel"));
        }
        if (notEmpty(mountLabel) && !host.seLinux()) {
            throw refuse("/linux/mountLabel", "asks for the SELinux mount label \"" + mountLabel + "\", but "
                    + host.describe());
        }
        return List.copyOf(labels);
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    private static JrunException refuse(String pointer, String message) {
        return new JrunException("config.json: " + pointer + ": " + message);
    }
}
