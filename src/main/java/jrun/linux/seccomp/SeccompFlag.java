package jrun.linux.seccomp;

/** The runtime-spec's {@code linux.seccomp.flags}: seccomp(2)'s {@code SECCOMP_FILTER_FLAG_*}. */
public enum SeccompFlag {
    TSYNC("SECCOMP_FILTER_FLAG_TSYNC", 1),
    LOG("SECCOMP_FILTER_FLAG_LOG", 2),
    SPEC_ALLOW("SECCOMP_FILTER_FLAG_SPEC_ALLOW", 4),
    /** Only meaningful with a listener: a notified call waits killably once the agent has it. */
    WAIT_KILLABLE_RECV("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 32);

    /** Not a config flag: jrun adds it when a rule uses SCMP_ACT_NOTIFY. */
    static final long NEW_LISTENER = 8;
    /** Not a config flag: TSYNC together with NEW_LISTENER is EINVAL without it. */
    static final long TSYNC_ESRCH = 16;

    private final String specName;
    private final long bit;

    SeccompFlag(String specName, long bit) {
        this.specName = specName;
        this.bit = bit;
    }

    public static SeccompFlag of(String specName) {
        for (SeccompFlag f : values()) {
            if (f.specName.equals(specName)) {
                return f;
            }
        }
        return null;
    }

    public String specName() {
        return specName;
    }

    long bit() {
        return bit;
    }
}
