package jrun.linux.lsm;

/**
 * Which labelling LSMs the host runs (read by {@code HostProbe.lsmHost}, the same tests as
 * {@code jrun check}), and whether
 * AppArmor has its own attr directory (kernels with LSM stacking) or shares /proc/self/attr.
 */
public record LsmHost(boolean appArmor, boolean seLinux, boolean appArmorAttrDirectory) {
    /** A description for logs and errors. */
    public String describe() {
        return "AppArmor is " + (appArmor ? "enabled" : "not enabled") + ", SELinux is "
                + (seLinux ? "enabled" : "not enabled") + " on this host";
    }
}
