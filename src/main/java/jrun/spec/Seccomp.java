package jrun.spec;

import java.util.List;
import java.util.Map;
import jrun.json.JsonValue;

/**
 * {@code linux.seccomp}: the syscall filter.
 *
 * @param defaultAction e.g. {@code SCMP_ACT_ERRNO}
 * @param defaultErrnoRet the errno for a default ERRNO action; null for EPERM
 * @param architectures e.g. {@code SCMP_ARCH_X86_64}
 * @param flags seccomp(2) filter flags, e.g. {@code SECCOMP_FILTER_FLAG_LOG}
 * @param listenerPath a UNIX socket that receives the notify fd, for {@code SCMP_ACT_NOTIFY}
 */
public record Seccomp(String defaultAction, Long defaultErrnoRet, List<String> architectures, List<String> flags,
                      String listenerPath, String listenerMetadata, List<Syscall> syscalls,
                      Map<String, JsonValue> extra) {
    public Seccomp {
        architectures = Immutable.list(architectures);
        flags = Immutable.list(flags);
        syscalls = Immutable.list(syscalls);
        extra = Immutable.map(extra);
    }

    /** A rule: {@code action} for the named syscalls when all {@code args} conditions hold. */
    public record Syscall(List<String> names, String action, Long errnoRet, List<Arg> args,
                          Map<String, JsonValue> extra) {
        public Syscall {
            names = Immutable.list(names);
            args = Immutable.list(args);
            extra = Immutable.map(extra);
        }
    }

    /**
     * A condition on syscall argument {@code index}. {@code value} and {@code valueTwo} are
     * uint64 (two's complement above Long.MAX_VALUE). For {@code SCMP_CMP_MASKED_EQ} the
     * condition is {@code (arg & value) == valueTwo}.
     *
     * @param op e.g. {@code SCMP_CMP_EQ}
     */
    public record Arg(long index, long value, long valueTwo, String op, Map<String, JsonValue> extra) {
        public Arg {
            extra = Immutable.map(extra);
        }
    }
}
