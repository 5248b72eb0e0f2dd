package jrun.process;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static jrun.sys.Kernel.CLONE_PARENT;
import static jrun.sys.Kernel.CLONE_PARENT_SETTID;
import static jrun.sys.Kernel.PR_SET_DUMPABLE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;
import jrun.base.Environment;
import jrun.base.JrunException;
import jrun.base.Timing;
import jrun.sys.Errno;
import jrun.sys.Native;
import jrun.sys.NativeCopy;
import jrun.sys.Poll;
import jrun.sys.ProcFiles;
import jrun.sys.Reaper;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * Forks the JVM with {@code clone3} into the namespaces a container asks for and lets the child
 * run a {@link Program}. Owns the parts of the protocol that every program shares: the child's
 * first act is to report that it is alive (a forked JVM can freeze at its first safepoint poll
 * when a safepoint was armed at the instant of the fork: the parent kills and retries a child
 * that stays silent), and every failure arrives as a (step, errno) record on the report pipe.
 */
public final class ChildLauncher {
    /** Record codes the child writes before a step index would be: alive, and set-up done. */
    static final int RECORD_HELLO = -1;
    static final int RECORD_READY = -2;
    /** The child forked the process that goes on (see {@link #emitForkVisible}); its pid follows. */
    static final int RECORD_FORKED = -3;

    public static final long CLONE_NEWTIME = 0x80L;
    public static final long CLONE_NEWNS = 0x20000L;
    public static final long CLONE_PIDFD = 0x1000L;
    public static final long CLONE_NEWCGROUP = 0x02000000L;
    public static final long CLONE_NEWUTS = 0x04000000L;
    public static final long CLONE_NEWIPC = 0x08000000L;
    public static final long CLONE_NEWUSER = 0x10000000L;
    public static final long CLONE_NEWPID = 0x20000000L;
    public static final long CLONE_NEWNET = 0x40000000L;
    public static final long CLONE_INTO_CGROUP = 0x200000000L;
    private static final int SIGCHLD = 17;
    private static final int SIGKILL = 9;
    private static final long CLONE_ARGS_SIZE = 88;

    private static final int MAX_ERRNO = 4096;
    private static final int WATCH_INTERVAL_MS = 100;
    /**
     * In a holder: Main starts the warm-up before anything else, and this table's allocation
     * (the JDK's native-memory classes initialised) belongs to the warm-up
     * thread, not to the main thread in front of it.
     */
    private static final class ErrnoTable {
        static final MemorySegment TABLE = intTable(Arena.global(), MAX_ERRNO);
    }
    /**
     * {@code JRUN_DEBUG_PROGRAM} set: each program is printed to stderr before its fork, as
     * {@code JRUN_TIMING} prints phases. Checked here so that the listing's classes load only then.
     */
    private static final boolean PRINT_PROGRAMS = Environment.get("JRUN_DEBUG_PROGRAM") != null;
    private static volatile boolean warmedUp;
    private static final AtomicBoolean WARM_UP_STARTED = new AtomicBoolean();

    private ChildLauncher() {}

    /** The pipes between parent and child; fd numbers are the same in both after the fork. */
    public record Pipes(int reportRead, int reportWrite, int goRead, int goWrite) {
        public static Pipes open(Arena arena) {
            MemorySegment fds = arena.allocate(JAVA_INT, 4);
            Sys.call("create the report pipe", SyscallNr.PIPE2, fds.address(), O_CLOEXEC);
            Sys.call("create the go pipe", SyscallNr.PIPE2, fds.address() + 8, O_CLOEXEC);
            return new Pipes(fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1),
                    fds.getAtIndex(JAVA_INT, 2), fds.getAtIndex(JAVA_INT, 3));
        }

        /** Closes the parent's ends (either may already be closed). */
        public void closeParentEnds() {
            Sys.attempt(SyscallNr.CLOSE, reportRead);
            Sys.attempt(SyscallNr.CLOSE, goWrite);
        }
    }

    public static final long O_CLOEXEC = 02000000L;

    /** A forked child: its pid, a pidfd for race-free signalling and waiting, and the pipes. */
    public record Child(int pid, int pidfd, Pipes pipes, Program program) {}

    /**
     * Emits what every child program starts with: arrange to die with the parent, close the
     * parent's pipe ends, say hello, and wait for the parent's go (which comes once it has
     * written id maps and, for exec on v1, moved the child into its cgroups; a container's init
     * moves itself, see InitProgram.joinCgroups). EOF instead of go means the
     * parent gave up: the step fails and the child exits. The go pipe stays open (it closes on
     * exec) for later waits of the program (see {@link #resume}).
     */
    static void emitPrologue(ProgramBuilder b, Pipes pipes) {
        emitPrologue(b, pipes, false);
    }

    /**
     * @param mapsFromParent the child is in a user namespace of its own whose id maps the parent
     *                       writes: it is dumpable until go, as runc's init. jrun is
     *                       non-dumpable (ContainerCreator), and a non-dumpable process's /proc
     *                       files belong to root, so an ordinary user's jrun (and newuidmap,
     *                       which checks the target's owner) could not write its maps.
     */
    static void emitPrologue(ProgramBuilder b, Pipes pipes, boolean mapsFromParent) {
        b.step("start the container's init process");
        b.call(SyscallNr.PRCTL, 1 /* PR_SET_PDEATHSIG */, SIGKILL);
        if (mapsFromParent) {
            b.call(SyscallNr.PRCTL, PR_SET_DUMPABLE, 1);
        }
        b.call(SyscallNr.CLOSE, pipes.reportRead());
        b.call(SyscallNr.CLOSE, pipes.goWrite());
        MemorySegment hello = b.buffer(8);
        hello.set(JAVA_INT, 0, RECORD_HELLO);
        b.call(SyscallNr.WRITE, pipes.reportWrite(), hello.address(), 8).expect(8);
        b.step("wait for jrun to finish preparing the container (id maps, cgroups)");
        b.call(SyscallNr.READ, pipes.goRead(), b.buffer(1).address(), 1).expect(1);
        if (mapsFromParent) {
            b.step("make the container's init non-dumpable again");
            b.call(SyscallNr.PRCTL, PR_SET_DUMPABLE, 0);
        }
    }

    /** Emits a wait for the parent's next {@link #resume}, after the record {@code code}. */
    static void emitPause(ProgramBuilder b, Pipes pipes, int code) {
        MemorySegment record = b.buffer(8);
        record.set(JAVA_INT, 0, code);
        b.call(SyscallNr.WRITE, pipes.reportWrite(), record.address(), 8).expect(8);
        b.call(SyscallNr.READ, pipes.goRead(), b.buffer(1).address(), 1).expect(1);
    }

    /**
     * Emits the fork of the process that goes on into the pid namespace the child joined with
     * setns (which applies to its children only), as a child of jrun (CLONE_PARENT), so that
     * jrun waits for it as for any child. The forking child itself was never in that
     * namespace: no process of the container ever saw it while it held the host's root,
     * working directory, fds, capabilities or JVM (issue 16). It reports the new process's pid
     * (CLONE_PARENT_SETTID writes it as jrun's pid namespace numbers it) and waits to be killed
     * by jrun ({@link #adoptForked}), so that anything parked in it stays there until jrun has
     * taken it; the new process waits for jrun's go, so that its records follow that one. The legacy clone: seccomp profiles (Docker's, podman's) refuse clone3 with
     * ENOSYS and allow clone without namespace flags. The new process goes on with the ops
     * after this.
     */
    static void emitForkVisible(ProgramBuilder b, Pipes pipes) {
        b.step("fork the process that enters the container's pid namespace");
        MemorySegment record = b.buffer(8);
        record.set(JAVA_INT, 0, RECORD_FORKED);
        ProgramBuilder.Label forked = b.label();
        b.call(SyscallNr.CLONE, CLONE_PARENT | CLONE_PARENT_SETTID | SIGCHLD, 0, record.address() + 4, 0, 0)
                .onResult(0, forked);
        b.call(SyscallNr.WRITE, pipes.reportWrite(), record.address(), 8).expect(8);
        b.call(SyscallNr.PPOLL, 0, 0, 0, 0, 8);
        b.fail(Errno.EINTR); // never falls through into the new process's ops
        b.bind(forked);
        // Its records must come after the forking child's: it waits for jrun to have read that.
        b.step("wait for jrun to take the process that enters the container's pid namespace");
        b.call(SyscallNr.READ, pipes.goRead(), b.buffer(1).address(), 1).expect(1);
    }

    /**
     * The parent's side of {@link #emitForkVisible}: reads the new process's pid, takes it as the
     * child (a pidfd on its own child, not reaped yet, names no other process), and kills and
     * reaps the forking one. On failure the forking child is left to the caller. The new process
     * waits for the caller's {@link #resume}, after it has taken what it needs from it.
     */
    static Child adoptForked(Child forking) {
        MemorySegment record = forking.program().arena().allocate(8, 4);
        int got = readWatching(forking, record);
        if (got != 8) {
            throw new JrunException(forking.program().role() + " failed: the process exited during set-up"
                    + describeExit(forking));
        }
        if (record.get(JAVA_INT, 0) != RECORD_FORKED) {
            throw failure(forking.program(), record);
        }
        int pid = record.get(JAVA_INT, 4);
        int pidfd = (int) Sys.call("open a pidfd for the container's process " + pid, SyscallNr.PIDFD_OPEN, pid, 0);
        kill(forking);
        reap(forking);
        Sys.attempt(SyscallNr.CLOSE, forking.pidfd());
        return new Child(pid, pidfd, forking.pipes(), forking.program());
    }

    /** Emits the report that set-up is complete. */
    static void emitReady(ProgramBuilder b, Pipes pipes) {
        MemorySegment ready = b.buffer(8);
        ready.set(JAVA_INT, 0, RECORD_READY);
        b.call(SyscallNr.WRITE, pipes.reportWrite(), ready.address(), 8).expect(8);
    }

    /**
     * Clones and runs {@code program} in the child and waits for its hello. Throws
     * {@link ChildHungException} (after killing the child) when the child froze in the JVM: the
     * caller starts over with a new program and pipes.
     */
    public static Child start(Program program, Pipes pipes, long cloneFlags, int cgroupFd) {
        warmUp();
        if (PRINT_PROGRAMS) {
            System.err.print(ProgramListing.render(program));
        }
        MemorySegment stepTable = intTable(program.arena(), Math.max(1, program.steps().size()));
        MemorySegment pidfdOut = program.arena().allocate(JAVA_INT);
        MemorySegment args = program.arena().allocate(CLONE_ARGS_SIZE, 8);
        long flags = cloneFlags | CLONE_PIDFD | (cgroupFd >= 0 ? CLONE_INTO_CGROUP : 0);
        args.set(JAVA_LONG, 0, flags);
        args.set(JAVA_LONG, 8, pidfdOut.address());
        args.set(JAVA_LONG, 32, SIGCHLD);
        args.set(JAVA_LONG, 80, cgroupFd >= 0 ? cgroupFd : 0);
        MemorySegment errnoLocation = Native.errnoLocation();
        long[] regs = new long[Math.max(1, program.registers())];
        long pid = cloneAndRun(program.ops(), regs, errnoLocation, SyscallNr.CLONE3.nr(), args.address(),
                SyscallNr.WRITE.nr(), pipes.reportWrite(), stepTable.address(), ErrnoTable.TABLE.address(),
                SyscallNr.EXIT_GROUP.nr(), false);
        if (pid < 0) {
            int errno = Native.errnoAt(errnoLocation);
            throw new JrunException("clone3 of the container's init process (flags 0x" + Long.toHexString(flags)
                    + ") failed: " + Errno.describe(errno) + hintFor(errno, flags));
        }
        Child child = new Child((int) pid, pidfdOut.get(JAVA_INT, 0), pipes, program);
        // The parent's copies of the child's ends: closed so that the child's exit reads as EOF.
        Sys.attempt(SyscallNr.CLOSE, pipes.reportWrite());
        Sys.attempt(SyscallNr.CLOSE, pipes.goRead());
        try {
            await(child, RECORD_HELLO);
        } catch (RuntimeException e) {
            kill(child);
            reap(child);
            Sys.attempt(SyscallNr.CLOSE, child.pidfd());
            throw e;
        }
        return child;
    }

    private static String hintFor(int errno, long flags) {
        if (errno == Errno.EINVAL && (flags & CLONE_INTO_CGROUP) != 0) {
            return " (the cgroup may not accept processes: check its controllers)";
        }
        if (errno == Errno.ENOSPC) {
            return " (a namespace limit in /proc/sys/user was reached)";
        }
        return "";
    }

    /**
     * An fd number held open (on /dev/null) until the child has started, for it to park an fd
     * on with dup3 (a pty master, a seccomp listener): the parent cannot know the numbers the
     * kernel will pick in the child, and takes the fd back with pidfd_getfd.
     */
    public static int reserveSlot(Arena arena, String purpose) {
        return (int) Sys.call("reserve an fd for " + purpose, SyscallNr.OPENAT, -100,
                NativeCopy.cString(arena, "/dev/null").address(), O_CLOEXEC);
    }

    /** Lets the child go on past its first, or its next, wait. */
    public static void resume(Child child) {
        MemorySegment one = child.program().arena().allocate(1);
        Sys.call("release the container's init process", SyscallNr.WRITE, child.pipes().goWrite(), one.address(), 1);
    }

    /**
     * Waits for the child's next record. Returns normally when it reports {@code expected};
     * throws with the failed step when it reports a failure, or when it dies without a word.
     * With {@code expected} 0 the call waits for end of file (a successful execve closes the
     * report pipe) and returns.
     */
    public static void await(Child child, int expected) {
        MemorySegment record = child.program().arena().allocate(8, 4);
        while (true) {
            int got = readWatching(child, record);
            if (got == 0) {
                if (expected == 0) {
                    return;
                }
                throw new JrunException(child.program().role() + " failed: the process exited during set-up"
                        + describeExit(child));
            }
            if (got != 8) {
                throw new JrunException("the container's init process sent a short report (" + got + " bytes)");
            }
            int code = record.get(JAVA_INT, 0);
            if (code == expected) {
                return;
            }
            if (code == RECORD_HELLO) {
                continue;
            }
            throw failure(child.program(), record);
        }
    }

    /**
     * Reads the child's next record, watching that it has not frozen: the program never waits
     * on a futex, so a child found in futex(2) twice in a row is stuck on a JVM lock or
     * safepoint copied from the parent at the fork, whose owner (a compiler or the VM thread)
     * does not exist in the child and never releases it. It is killed, and the caller
     * told to start over.
     */
    private static int readWatching(Child child, MemorySegment record) {
        int strikes = 0;
        while (!Poll.readable(child.pipes().reportRead(), WATCH_INTERVAL_MS)) {
            if (inFutex(child.pid())) {
                if (++strikes >= 2) {
                    kill(child);
                    reap(child);
                    throw new ChildHungException(child.pid());
                }
            } else {
                strikes = 0;
            }
        }
        return readRecord(child.pipes().reportRead(), record);
    }

    /** Whether the process is blocked in futex(2): /proc/PID/syscall starts with its number. */
    public static boolean inFutex(int pid) {
        try {
            String s = ProcFiles.read(java.nio.file.Path.of("/proc", Integer.toString(pid), "syscall"));
            int space = s.indexOf(' ');
            return space > 0 && s.substring(0, space).equals(Long.toString(SyscallNr.FUTEX.nr()));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static JrunException failure(Program program, MemorySegment record) {
        int step = record.get(JAVA_INT, 0);
        int errno = record.get(JAVA_INT, 4);
        String what = step >= 0 && step < program.steps().size() ? program.steps().get(step) : "step " + step;
        String cause = errno == 0 ? "unexpected result" : Errno.describe(errno);
        return new StepFailedException(what, errno, program.role() + " failed: " + what + ": " + cause);
    }

    private static String describeExit(Child child) {
        return " (" + Reaper.describe(reap(child)) + ")";
    }

    /**
     * Gives up on a child whose launch failed: kills and reaps it (a hung one is already), and
     * closes the parent's pidfd and pipe ends.
     */
    public static void abandon(Child child, Throwable failure) {
        if (!(failure instanceof ChildHungException)) {
            kill(child);
            reap(child);
        }
        Sys.attempt(SyscallNr.CLOSE, child.pidfd());
        child.pipes().closeParentEnds();
    }

    /** Sends SIGKILL through the pidfd (never a recycled pid). */
    public static void kill(Child child) {
        Sys.attempt(SyscallNr.PIDFD_SEND_SIGNAL, child.pidfd(), SIGKILL, 0, 0);
    }

    /** Waits for the child to exit and returns its wait status in shell form (128+signal when killed). */
    public static int reap(Child child) {
        return Reaper.waitExit(child.pidfd());
    }

    /** Reads one 8-byte record from a readable fd; returns the bytes read (0 at end of file). */
    static int readRecord(int fd, MemorySegment record) {
        int total = 0;
        while (total < 8) {
            long n = Sys.attempt(SyscallNr.READ, fd, record.address() + total, 8 - total);
            if (n < 0) {
                throw new JrunException("reading the container init's report pipe: " + Errno.describe((int) -n));
            }
            if (n == 0) {
                return total;
            }
            total += (int) n;
        }
        return total;
    }

    /**
     * Starts {@link #warmUp()} on a daemon thread, once per JVM; later calls do nothing. The
     * warm-up depends on no input, so callers start it as early as they can.
     */
    public static void warmUpInBackground() {
        // Not synchronized: warmUp() holds the class lock while it runs.
        if (WARM_UP_STARTED.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("jrun-warm-up").start(ChildLauncher::warmUp);
        }
    }

    /** Runs every code path of the child once in this process, so none is first reached after the fork. */
    public static synchronized void warmUp() {
        if (warmedUp) {
            return;
        }
        Native.warmUp();
        try (Arena arena = Arena.ofConfined()) {
            runChildPath(WarmUpPrograms.all(arena), new long[4], Native.errnoLocation(), SyscallNr.WRITE.nr(),
                    intTable(arena, 4).address(), 3);
        }
        warmedUp = true;
        Timing.mark("fork path warmed up");
    }

    /**
     * Runs the child's whole path ({@link #cloneAndRun} and everything it calls) in this
     * process, {@code rounds} times over each of {@code programs}, with harmless numbers. Its
     * own work is plain loops over arrays, so that the methods it runs are the child's.
     */
    static void runChildPath(long[][] programs, long[] regs, MemorySegment errnoLocation, long writeNr,
                             long stepTable, int rounds) {
        for (int i = 0; i < rounds; i++) {
            for (long[] ops : programs) {
                cloneAndRun(ops, regs, errnoLocation, -1, 0, writeNr, -1, stepTable, ErrnoTable.TABLE.address(), -1,
                        true);
            }
        }
    }

    /**
     * The fork. In the parent it returns the child's pid; the child runs the program and
     * exits. {@code warm} runs the child's path in this process with harmless numbers
     * (the clone and exit calls as invalid syscall -1).
     */
    private static long cloneAndRun(long[] ops, long[] regs, MemorySegment errnoLocation, long cloneNr, long cloneArgs,
                                    long writeNr, long reportFd, long stepTable, long errnoTable, long exitNr,
                                    boolean warm) {
        long pid = Native.criticalSyscall(cloneNr, cloneArgs, CLONE_ARGS_SIZE, 0, 0, 0, 0);
        if (pid == 0 || warm) {
            int failed = ChildInterpreter.run(ops, regs, errnoLocation, writeNr, reportFd, stepTable, errnoTable);
            Native.criticalSyscall(exitNr, failed < 0 ? 0 : 1, 0, 0, 0, 0, 0);
        }
        return pid;
    }

    /** Native ints 0..n-1, filled in one bulk copy: n VarHandle stores are slow interpreted. */
    static MemorySegment intTable(Arena arena, int n) {
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        return NativeCopy.of(arena, values);
    }
}
