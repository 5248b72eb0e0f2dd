package jrun.process;

import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * What a launch opened for the child's start: the cgroup directory it is born in, closed once
 * the clone is done either way, and the pipes, whose parent ends are closed too unless the
 * child {@link #started} (then they are the child's to the end).
 */
final class StartFds implements AutoCloseable {
    private final ChildLauncher.Pipes pipes;
    private final int cgroupFd;
    private boolean started;

    /** @param cgroupFd the cgroup directory for CLONE_INTO_CGROUP, or -1 */
    StartFds(ChildLauncher.Pipes pipes, int cgroupFd) {
        this.pipes = pipes;
        this.cgroupFd = cgroupFd;
    }

    void started() {
        started = true;
    }

    @Override
    public void close() {
        if (!started) {
            pipes.closeParentEnds();
        }
        if (cgroupFd >= 0) {
            Sys.attempt(SyscallNr.CLOSE, cgroupFd);
        }
    }
}
