package jrun.linux.seccomp;

/** The runtime-spec's argument comparisons, numbered as libseccomp's {@code enum scmp_compare}. */
public enum SeccompOperator {
    NE("SCMP_CMP_NE", 1),
    LT("SCMP_CMP_LT", 2),
    LE("SCMP_CMP_LE", 3),
    EQ("SCMP_CMP_EQ", 4),
    GE("SCMP_CMP_GE", 5),
    GT("SCMP_CMP_GT", 6),
    /** {@code (arg & value) == valueTwo}. */
    MASKED_EQ("SCMP_CMP_MASKED_EQ", 7);

    private final String specName;
    private final int code;

    SeccompOperator(String specName, int code) {
        this.specName = specName;
        this.code = code;
    }

    public static SeccompOperator of(String specName) {
        for (SeccompOperator o : values()) {
            if (o.specName.equals(specName)) {
                return o;
            }
        }
        return null;
    }

    public String specName() {
        return specName;
    }

    int code() {
        return code;
    }
}
