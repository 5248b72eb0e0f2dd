package jrun.linux.seccomp;

import jrun.sys.Errno;

/**
 * The runtime-spec's seccomp actions, with the filter return value libseccomp and the kernel use
 * ({@code SECCOMP_RET_*}) and the name /proc/sys/kernel/seccomp/actions_avail lists them by.
 */
public enum SeccompAction {
    KILL("SCMP_ACT_KILL", 0x00000000, "kill_thread", false),
    KILL_PROCESS("SCMP_ACT_KILL_PROCESS", 0x80000000, "kill_process", false),
    KILL_THREAD("SCMP_ACT_KILL_THREAD", 0x00000000, "kill_thread", false),
    TRAP("SCMP_ACT_TRAP", 0x00030000, "trap", false),
    ERRNO("SCMP_ACT_ERRNO", 0x00050000, "errno", true),
    /** The 16-bit data goes to the tracer; without one, the call fails with ENOSYS. */
    TRACE("SCMP_ACT_TRACE", 0x7ff00000, "trace", true),
    ALLOW("SCMP_ACT_ALLOW", 0x7fff0000, "allow", false),
    LOG("SCMP_ACT_LOG", 0x7ffc0000, "log", false),
    NOTIFY("SCMP_ACT_NOTIFY", 0x7fc00000, "user_notif", false);

    private final String specName;
    private final int base;
    private final String kernelName;
    private final boolean takesErrno;

    SeccompAction(String specName, int base, String kernelName, boolean takesErrno) {
        this.specName = specName;
        this.base = base;
        this.kernelName = kernelName;
        this.takesErrno = takesErrno;
    }

    /** The action named so in a config, or null. */
    public static SeccompAction of(String specName) {
        for (SeccompAction a : values()) {
            if (a.specName.equals(specName)) {
                return a;
            }
        }
        return null;
    }

    public String specName() {
        return specName;
    }

    /** The name in /proc/sys/kernel/seccomp/actions_avail. */
    public String kernelName() {
        return kernelName;
    }

    /** Whether {@code errnoRet} means something for this action (ERRNO and TRACE). */
    public boolean takesErrno() {
        return takesErrno;
    }

    /** The filter's return value: the action with its 16 data bits (the errno, EPERM by default). */
    public int value(Long errnoRet) {
        if (!takesErrno) {
            return base;
        }
        long data = errnoRet == null ? Errno.EPERM : errnoRet;
        return base | (int) (data & 0xffff);
    }
}
