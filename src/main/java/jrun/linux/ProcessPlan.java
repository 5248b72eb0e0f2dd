package jrun.linux;

import java.util.List;

/**
 * The container's process: what to exec and with which identity and limits.
 *
 * @param execCandidates where to look for {@code args[0]} inside the container, in order (the
 *                       PATH search happens in the container's root, after pivot_root)
 * @param umask null to leave the runtime's (runc applies 0022 by default)
 * @param oomScoreAdj null to leave it alone
 * @param terminal the pseudo-terminal to give the process as its stdio, or null for none
 * @param scheduling its CPU scheduler, I/O priority, memory policy and (exec) CPU affinity
 */
public record ProcessPlan(List<String> args, List<String> env, String cwd, List<String> execCandidates, long uid,
                          long gid, List<Long> additionalGids, Long umask, List<Limit> rlimits,
                          boolean noNewPrivileges, Long oomScoreAdj, CapabilitySets capabilities,
                          Terminal terminal, ProcessScheduling scheduling) {

    /** {@code process.terminal}: a pty, and its size in characters (0 leaves the kernel's default). */
    public record Terminal(int rows, int columns) {}


    /** A resource limit by number, for prlimit64. */
    public record Limit(String name, int resource, long soft, long hard) {}
}
