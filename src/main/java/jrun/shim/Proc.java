package jrun.shim;

import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import jrun.sys.Errno;
import jrun.sys.Reaper;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;
import jrun.ttrpc.Code;
import jrun.ttrpc.RpcException;

/**
 * A process of a task, the container's init or an exec'd one: its stdio, and from its launch
 * its pid and pidfd, on which a thread of its own waits, reaps it (the shim is its parent) and
 * records its exit status as containerd expects it (the code, or 128 + signal).
 */
final class Proc {
    final String execId;
    final Stdio stdio;
    /** An exec's process as runtime-spec JSON (null for the init). */
    final byte[] spec;
    private volatile int pid;
    private int pidfd = -1;
    private volatile boolean launched;
    private final CountDownLatch exited = new CountDownLatch(1);
    /** Opened once the start (TaskStart, TaskExecStarted) is published: the exit is published after it. */
    private final CountDownLatch startPublished = new CountDownLatch(1);
    private volatile int exitStatus;
    private volatile long exitedAtNanos;

    Proc(String execId, Stdio stdio, byte[] spec) {
        this.execId = execId;
        this.stdio = stdio;
        this.spec = spec;
    }

    /** Takes the launched process over and watches for its exit; {@code onExit} runs once it is reaped. */
    void launched(JrunRuntime.Started started, Consumer<Proc> onExit) {
        synchronized (this) {
            pid = started.pid();
            pidfd = started.pidfd();
            launched = true;
        }
        if (started.consoleMaster() >= 0) {
            stdio.attach(started.consoleMaster());
        }
        Thread.ofPlatform().daemon().name("wait " + started.pid()).start(() -> {
            int status = Reaper.waitExit(started.pidfd());
            synchronized (this) {
                Sys.attempt(SyscallNr.CLOSE, pidfd);
                pidfd = -1;
                // -1: not our child after all (cannot happen: the shim forked it); containerd's unknown status
                exitStatus = status < 0 ? 255 : status;
                exitedAtNanos = nowNanos();
            }
            exited.countDown();
            try {
                startPublished.await();
            } catch (InterruptedException e) {
                return;
            }
            onExit.accept(this);
        });
    }

    /**
     * Lets the exit be published: called once the start's event is out (or when there will be
     * none: a created container deleted unstarted), so containerd never sees an exit first.
     */
    void startPublished() {
        startPublished.countDown();
    }

    int pid() {
        return pid;
    }

    boolean launched() {
        return launched;
    }

    boolean hasExited() {
        return exited.getCount() == 0;
    }

    int exitStatus() {
        return exitStatus;
    }

    long exitedAtNanos() {
        return exitedAtNanos;
    }

    void awaitExit() throws InterruptedException {
        exited.await();
    }

    /** Signals the process through its pidfd; NotFound once it has exited, as runc's shim says. */
    synchronized void signal(int signal) throws RpcException {
        if (pidfd < 0) {
            throw new RpcException(Code.NOT_FOUND, launched ? "process already finished" : "process not started");
        }
        long r = Sys.attempt(SyscallNr.PIDFD_SEND_SIGNAL, pidfd, signal, 0, 0);
        if (r == -Errno.ESRCH) {
            throw new RpcException(Code.NOT_FOUND, "process already finished");
        }
        if (r < 0) {
            throw new RpcException(Code.UNKNOWN, "cannot signal process " + pid + ": " + Errno.describe((int) -r));
        }
    }

    static long nowNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
