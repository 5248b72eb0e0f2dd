package jrun.linux;

import java.util.List;

/** The RLIMIT_* names of the runtime-spec and their resource numbers (the same on x86_64 and aarch64). */
public final class Rlimits {
    private static final List<String> NAMES = List.of(
            "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
            "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS",
            "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME");

    private Rlimits() {}

    /** The resource number, or -1 for a name the kernel does not know. */
    public static int resource(String name) {
        return NAMES.indexOf(name);
    }

    public static List<String> names() {
        return NAMES;
    }
}
