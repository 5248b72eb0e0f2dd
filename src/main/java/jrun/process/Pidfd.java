package jrun.process;

import jrun.base.JrunException;
import jrun.state.ContainerState;
import jrun.state.ProcStat;
import jrun.sys.Errno;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * A pidfd of a container's process, opened only after checking the saved start time, so that a
 * signal can never reach a process that merely reuses the container's pid.
 */
public final class Pidfd implements AutoCloseable {
    private final int fd;
    private final int pid;

    private Pidfd(int fd, int pid) {
        this.fd = fd;
        this.pid = pid;
    }

    /** The container's init, or null when it is gone (or its pid now belongs to another process). */
    public static Pidfd ofInit(ContainerState state) {
        return of(state.pid(), state.pidStartTime());
    }

    /** A process by pid and start time; null when no such process is alive. */
    public static Pidfd of(int pid, long startTime) {
        if (pid <= 0) {
            return null;
        }
        long fd = Sys.attempt(SyscallNr.PIDFD_OPEN, pid, 0);
        if (fd < 0) {
            return null;
        }
        // The pidfd pins the process: checking the start time now proves it is the same one.
        ProcStat stat = ProcStat.read(pid);
        if (stat == null || stat.startTime() != startTime || stat.isZombie()) {
            Sys.attempt(SyscallNr.CLOSE, fd);
            return null;
        }
        return new Pidfd((int) fd, pid);
    }

    public int fd() {
        return fd;
    }

    public int pid() {
        return pid;
    }

    /** Sends {@code signal}; false when the process has already exited. */
    public boolean signal(int signal) {
        long r = Sys.attempt(SyscallNr.PIDFD_SEND_SIGNAL, fd, signal, 0, 0);
        if (r < 0 && -r != Errno.ESRCH) {
            throw new JrunException("cannot send signal " + signal + " to process " + pid + ": "
                    + Errno.describe((int) -r));
        }
        return r == 0;
    }

    @Override
    public void close() {
        Sys.attempt(SyscallNr.CLOSE, fd);
    }
}
