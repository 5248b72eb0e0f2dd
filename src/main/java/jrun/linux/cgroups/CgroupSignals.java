package jrun.linux.cgroups;

import java.util.List;
import java.util.function.Supplier;
import jrun.base.JrunException;
import jrun.sys.Errno;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * Signalling the processes of a cgroup without ever hitting a stranger. A pid read from
 * cgroup.procs may belong to another process by the time it is signalled; a pidfd opened for it
 * and checked against a fresh read of cgroup.procs cannot: a process that is still listed is the
 * one behind the pidfd (a live process's pid is not reused), and a pidfd whose process died
 * refuses signals.
 */
final class CgroupSignals {
    static final int SIGKILL = 9;
    private static final long EMPTY_WAIT_NANOS = 10_000_000_000L;

    private CgroupSignals() {}

    /** Sends {@code signal} to every process {@code pids} lists. */
    static void signal(Supplier<List<Integer>> pids, int signal) {
        List<Integer> before = pids.get();
        int[] fds = new int[before.size()];
        for (int i = 0; i < fds.length; i++) {
            fds[i] = (int) Sys.attempt(SyscallNr.PIDFD_OPEN, before.get(i), 0);
        }
        try {
            List<Integer> now = pids.get();
            for (int i = 0; i < fds.length; i++) {
                if (fds[i] < 0 || !now.contains(before.get(i))) {
                    continue;
                }
                long r = Sys.attempt(SyscallNr.PIDFD_SEND_SIGNAL, fds[i], signal, 0, 0);
                if (r < 0 && -r != Errno.ESRCH) {
                    throw new JrunException("cannot send signal " + signal + " to process " + before.get(i) + ": "
                            + Errno.describe((int) -r));
                }
            }
        } finally {
            for (int fd : fds) {
                if (fd >= 0) {
                    Sys.attempt(SyscallNr.CLOSE, fd);
                }
            }
        }
    }

    /**
     * Kills until nothing is left: a process may fork between the read of cgroup.procs and the
     * signal, so the cgroup is killed again until it is empty.
     */
    static void killUntilEmpty(Supplier<List<Integer>> pids, Runnable killAll, String what) {
        long deadline = System.nanoTime() + EMPTY_WAIT_NANOS;
        long nextKill = 0;
        while (!pids.get().isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                throw new JrunException("the processes of " + what + " are still alive 10 s after SIGKILL: " + pids.get());
            }
            if (System.nanoTime() - nextKill >= 0) {
                killAll.run();
                nextKill = System.nanoTime() + 100_000_000L;
            }
            CgroupFiles.sleep(2);
        }
    }
}
