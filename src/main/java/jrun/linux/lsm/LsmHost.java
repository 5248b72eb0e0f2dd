package jrun.linux.lsm;

import java.nio.file.Files;
import java.nio.file.Path;
import jrun.linux.HostProbe;

/**
 * Which labelling LSMs the host runs (the same tests as {@code jrun check}), and whether
 * AppArmor has its own attr directory (kernels with LSM stacking) or shares /proc/self/attr.
 */
public record LsmHost(boolean appArmor, boolean seLinux, boolean appArmorAttrDirectory) {
    public static LsmHost live() {
        HostProbe probe = HostProbe.system();
        return new LsmHost(probe.hasAppArmor(), probe.hasSeLinux(),
                Files.isDirectory(Path.of("/proc/self/attr/apparmor")));
    }

    /** A description for logs and errors. */
    public String describe() {
        return "AppArmor is " + (appArmor ? "enabled" : "not enabled") + ", SELinux is "
                + (seLinux ? "enabled" : "not enabled") + " on this host";
    }
}
