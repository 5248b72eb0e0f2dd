package jrun.linux.seccomp;

/**
 * A compiled {@code linux.seccomp}: the classic BPF program the container's init hands to
 * seccomp(2), and how to hand it over.
 *
 * @param program          {@code struct sock_filter[]}, 8 bytes an instruction, in native byte order
 * @param flags            the {@code SECCOMP_FILTER_FLAG_*} for seccomp(2), NEW_LISTENER included
 *                         when a rule notifies
 * @param listenerPath     the agent's socket for the notify fd; null without a notify rule
 * @param listenerMetadata passed to the agent as is; may be null
 */
public record SeccompFilter(byte[] program, long flags, String listenerPath, String listenerMetadata) {
    /** seccomp(2) operation that installs a filter. */
    public static final long SECCOMP_SET_MODE_FILTER = 1;

    /**
     * The record the init writes on the report pipe once the listener fd is parked on the slot
     * fd (see {@code InitProgram}); distinct from ChildLauncher's hello (-1) and ready (-2).
     */
    public static final int RECORD_LISTENER = -3;

    /** Where in the init's programme the filter is installed, and why there. */
    public enum Placement {
        /**
         * Before the user and capabilities change: without no_new_privs, installing a filter
         * needs CAP_SYS_ADMIN, which the container's process usually lacks (runc and crun do the
         * same). After fd hygiene, groups and gid (which keep it), so that only the uid and
         * capabilities change, the ready report, the wait for start and execve must pass the
         * filter.
         */
        BEFORE_IDENTITY,
        /**
         * After identity and fd hygiene, before the init reports that it is created: the
         * listener fd of a notifying filter goes to the agent during {@code create}, as runc does.
         */
        BEFORE_READY,
        /** After the wait for {@code start}, just before execve: the filter sees execve alone. */
        BEFORE_EXEC
    }

    public boolean hasListener() {
        return (flags & SeccompFlag.NEW_LISTENER) != 0;
    }

    public int instructions() {
        return program.length / 8;
    }

    public Placement placement(boolean noNewPrivileges) {
        if (!noNewPrivileges) {
            return Placement.BEFORE_IDENTITY;
        }
        return hasListener() ? Placement.BEFORE_READY : Placement.BEFORE_EXEC;
    }
}
