package jrun.linux.seccomp;

import java.util.ArrayList;
import java.util.List;
import jrun.sys.Errno;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * The seccomp part of {@code jrun features} (runtime-spec features.md, {@code linux.seccomp}),
 * read from the tables the compiler itself uses, so the two cannot disagree. Loads neither
 * libseccomp; only {@link #supportedFlags()} asks the kernel.
 */
public final class SeccompFeatures {
    private SeccompFeatures() {}

    public static List<String> actions() {
        List<String> out = new ArrayList<>();
        for (SeccompAction a : SeccompAction.values()) {
            out.add(a.specName());
        }
        return List.copyOf(out);
    }

    public static List<String> operators() {
        List<String> out = new ArrayList<>();
        for (SeccompOperator o : SeccompOperator.values()) {
            out.add(o.specName());
        }
        return List.copyOf(out);
    }

    public static List<String> architectures() {
        return SeccompArchitectures.SPEC_NAMES;
    }

    /** The flags a config may set (seccomp(2)'s NEW_LISTENER is jrun's own business). */
    public static List<String> knownFlags() {
        List<String> out = new ArrayList<>();
        for (SeccompFlag f : SeccompFlag.values()) {
            out.add(f.specName());
        }
        return List.copyOf(out);
    }

    /**
     * The known flags the running kernel accepts. seccomp(2) checks the flags before it reads the
     * program, so a filter at address 0 answers EFAULT for a flag it knows and EINVAL for one it
     * does not, without installing anything.
     */
    public static List<String> supportedFlags() {
        List<String> out = new ArrayList<>();
        for (SeccompFlag f : SeccompFlag.values()) {
            long bits = f.bit();
            if (f == SeccompFlag.WAIT_KILLABLE_RECV) {
                bits |= SeccompFlag.NEW_LISTENER; // accepted only together
            }
            long rc = Sys.attempt(SyscallNr.SECCOMP, SeccompFilter.SECCOMP_SET_MODE_FILTER, bits, 0);
            if (rc == -Errno.EFAULT) {
                out.add(f.specName());
            }
        }
        return List.copyOf(out);
    }
}
