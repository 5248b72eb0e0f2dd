package jrun.hooks;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import jrun.sys.FdInputStream;
import jrun.sys.FdOutputStream;
import jrun.sys.Poll;
import jrun.sys.Reaper;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * A hook that jrun started itself, watched through its pidfd, its stdio three pipes: what both
 * starters return, the one spawning in jrun's namespaces and the one joining the container's.
 */
public final class PidfdHookProcess implements HookProcess {
    private static final int SIGKILL = 9;

    private final int pid;
    private final int pidfd;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;
    private final Runnable release;
    private HookExit exit;

    /**
     * Takes the fds over.
     *
     * @param stdin the write end of the hook's stdin
     * @param stdout the read end of the hook's stdout
     * @param stderr the read end of the hook's stderr
     * @param release what else to let go of once the hook is reaped (its launch's resources)
     */
    public PidfdHookProcess(int pid, int pidfd, int stdin, int stdout, int stderr, Runnable release) {
        this.pid = pid;
        this.pidfd = pidfd;
        this.stdin = new FdOutputStream(stdin);
        this.stdout = new FdInputStream(stdout);
        this.stderr = new FdInputStream(stderr);
        this.release = release;
    }

    @Override
    public OutputStream stdin() {
        return stdin;
    }

    @Override
    public InputStream stdout() {
        return stdout;
    }

    @Override
    public InputStream stderr() {
        return stderr;
    }

    @Override
    public HookExit waitFor(Duration timeout) {
        if (timeout != null) {
            long ms = Math.min(Integer.MAX_VALUE, Math.max(0, timeout.toMillis()));
            if (!Poll.readable(pidfd, (int) ms)) {
                return null;
            }
        }
        return reap();
    }

    @Override
    public void kill() {
        if (reaped()) {
            return;
        }
        // The descendants are listed before the hook dies, while they are still found under it
        // (once orphaned they are not), and the hook is killed first so that it starts nothing
        // new. Best effort: one that daemonised is out of reach, as with runc, which kills only
        // the hook.
        List<ProcessHandle> descendants = ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of());
        Sys.attempt(SyscallNr.PIDFD_SEND_SIGNAL, pidfd, SIGKILL, 0, 0);
        descendants.forEach(ProcessHandle::destroyForcibly);
        reap();
    }

    private synchronized boolean reaped() {
        return exit != null;
    }

    private synchronized HookExit reap() {
        if (exit == null) {
            int status = Reaper.waitStatus(pidfd);
            exit = Reaper.exitSignal(status) > 0 ? HookExit.killedBy(Reaper.exitSignal(status))
                    : HookExit.exited(status < 0 ? -1 : Reaper.exitCode(status));
            Sys.attempt(SyscallNr.CLOSE, pidfd);
            release.run();
        }
        return exit;
    }
}
