package jrun.sys;

/** The CPU architectures jrun runs on, with the names the runtime-spec and seccomp use. */
public enum Arch {
    X86_64("amd64", "SCMP_ARCH_X86_64"),
    AARCH64("arm64", "SCMP_ARCH_AARCH64");

    private static final Arch CURRENT = detect(System.getProperty("os.arch"));

    private final String goName;
    private final String seccompName;

    Arch(String goName, String seccompName) {
        this.goName = goName;
        this.seccompName = seccompName;
    }

    public static Arch current() {
        return CURRENT;
    }

    static Arch detect(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            default -> throw new UnsupportedOperationException("jrun supports x86_64 and aarch64, not " + osArch);
        };
    }

    public String goName() {
        return goName;
    }

    public String seccompName() {
        return seccompName;
    }
}
