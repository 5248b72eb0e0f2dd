package jrun.process;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static jrun.sys.Kernel.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import jrun.linux.Capabilities;
import jrun.linux.CapabilitySets;
import jrun.linux.ProcessPlan;
import jrun.linux.ProcessScheduling;
import jrun.linux.cgroups.CpuList;
import jrun.linux.lsm.ExecLabel;
import jrun.linux.seccomp.ListenerHandover;
import jrun.linux.seccomp.SeccompFilter;
import jrun.process.ProgramBuilder.Label;
import jrun.process.ProgramBuilder.Reg;
import jrun.sys.Errno;
import jrun.sys.NativeCopy;
import jrun.sys.ProcFiles;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * The steps that turn a forked child into the container's process, shared by the container's
 * init ({@link InitProgram}) and by processes exec'd into a running container
 * ({@link ExecProgram}): signals, LSM labels, the terminal, the working directory, the
 * executable's lookup, rlimits, seccomp, identity and capabilities, fd hygiene, execve.
 */
public final class ProcessSetup {
    /** 65,536 CPUs, as runc's reset (and Go 1.25's runtime) assume at most. */
    private static final long ALL_CPUS_MASK_BYTES = 64 * 1024 / 8;
    /** Record code: the pty master is parked on the console slot for the parent to take. */
    static final int RECORD_CONSOLE = -4;

    /**
     * How the process is launched, beyond its plan.
     *
     * @param seccomp null for no filter
     * @param listenerSlot an fd number the parent holds open for the child to park a seccomp
     *                     listener on (-1 without one)
     * @param consoleSlot the same for the pty master of a terminal (-1 without one)
     */
    public record Launch(int preserveFds, SeccompFilter seccomp, int listenerSlot, List<ExecLabel> execLabels,
                  int consoleSlot) {
        public Launch {
            execLabels = List.copyOf(execLabels);
        }

        public Launch(int preserveFds) {
            this(preserveFds, null, -1, List.of(), -1);
        }
    }

    /** A process through its set-up: the child, and the pty master taken from it (-1 without one). */
    public record Launched(ChildLauncher.Child child, int consoleMaster) {}

    /**
     * A launch's child and its terminal's master (-1: none yet) as far as the hand-overs got:
     * on failure the caller closes the master and gives up on the child.
     */
    static final class Handover {
        ChildLauncher.Child child;
        int master = -1;

        Handover(ChildLauncher.Child child) {
            this.child = child;
        }
    }

    /**
     * The parent's side of {@link #terminal} and {@link #loadSeccompAt}, in the order the child
     * sends their records: takes the pty master from its slot and lets the child go on, then
     * takes a seccomp listener and sends it to its agent. A child that {@code forks} the
     * process that goes on into the pid namespace it joined is then replaced in {@code h} by
     * that process, which holds the listener too: the agent is given its pid, as the forking
     * child is gone.
     */
    static void takeHandovers(Handover h, ProcessPlan plan, Launch launch,
                              ListenerHandover.ContainerProcessState listenerState, boolean forks) {
        h.master = takeConsole(h.child, plan, launch);
        boolean listener = awaitListener(h.child, launch);
        if (forks) {
            h.child = ChildLauncher.adoptForked(h.child);
            if (listener) {
                takeListener(h.child, launch, listenerState);
            }
            ChildLauncher.resume(h.child);
        } else if (listener) {
            takeListener(h.child, launch, listenerState);
        }
    }

    /** The pty master, or -1 without a terminal. */
    private static int takeConsole(ChildLauncher.Child child, ProcessPlan plan, Launch launch) {
        if (plan.terminal() == null) {
            return -1;
        }
        ChildLauncher.await(child, RECORD_CONSOLE);
        int master = Console.takeMaster(child, launch.consoleSlot());
        ChildLauncher.resume(child);
        return master;
    }

    /** Waits for the child's report that it parked a seccomp listener; false without one. */
    private static boolean awaitListener(ChildLauncher.Child child, Launch launch) {
        if (launch.seccomp() == null || !launch.seccomp().hasListener()) {
            return false;
        }
        ChildLauncher.await(child, SeccompFilter.RECORD_LISTENER);
        return true;
    }

    /**
     * Takes the parked listener from {@code holder} (the child, or the process it forked, which
     * inherited it) and sends it to its agent with {@code state} naming the holder's pid.
     */
    private static void takeListener(ChildLauncher.Child holder, Launch launch, ListenerHandover.ContainerProcessState state) {
        ListenerHandover.takeAndSend(holder.pidfd(), launch.listenerSlot(), launch.seccomp(),
                state == null ? null : state.withPid(holder.pid()));
    }

    private final ProgramBuilder b;
    private final ProcessPlan p;
    private final Launch launch;
    private final ChildLauncher.Pipes pipes;
    private final String origin;
    private final Reg fd;
    private final Reg exec;
    private final Reg listener;
    private final Reg master;
    private final Reg slave;

    /**
     * @param origin where the process's settings come from, for error messages: "config.json"
     *               or the file of exec's {@code --process}
     */
    ProcessSetup(ProgramBuilder b, ProcessPlan p, Launch launch, ChildLauncher.Pipes pipes, String origin) {
        this.b = b;
        this.p = p;
        this.launch = launch;
        this.pipes = pipes;
        this.origin = origin;
        this.fd = b.newReg();
        this.exec = b.newReg();
        this.listener = b.newReg();
        this.master = b.newReg();
        this.slave = b.newReg();
    }

    ChildLauncher.Pipes pipes() {
        return pipes;
    }

    /**
     * v1: the process moves itself into each hierarchy, writing {@code 0} to its {@code tasks}
     * file (it has one thread, so its thread is the process), first, while it is still in the
     * host's namespaces and has the host's privileges. A thread that moves itself skips the
     * kernel lock that jrun moving it by pid would take, whose RCU grace period cost 8-17 ms
     * here (see CgroupManager.selfJoinFiles).
     */
    void joinCgroups(List<Path> tasksFiles, String why) {
        if (tasksFiles.isEmpty()) {
            return;
        }
        long self = b.cstr("0");
        for (Path tasks : tasksFiles) {
            b.step("join the cgroup " + tasks.getParent() + " (" + why + ")");
            b.call(SyscallNr.OPENAT, AT_FDCWD, b.cstr(tasks.toString()), O_WRONLY | O_CLOEXEC).into(fd);
            b.call(SyscallNr.WRITE, fd, self, 1).expect(1);
            b.call(SyscallNr.CLOSE, fd);
        }
    }

    /** The JVM handles and blocks signals; the container's process starts with the defaults. */
    void resetSignals() {
        b.step("reset signal handlers");
        MemorySegment dfl = b.buffer(32);
        for (int sig = 1; sig <= 64; sig++) {
            if (sig == 9 || sig == 19) {
                continue;
            }
            b.call(SyscallNr.RT_SIGACTION, sig, dfl.address(), 0, 8).ignoringErrors();
        }
        b.call(SyscallNr.RT_SIGPROCMASK, SIG_SETMASK, b.buffer(8).address(), 0, 8);
    }

    /**
     * Writes the LSM labels for the next execve through the host's /proc (see
     * {@link ExecLabel}): called before the container's mounts or mount namespace are entered.
     */
    void execLabels() {
        for (ExecLabel l : launch.execLabels()) {
            String step = "apply the LSM label \"" + l.value() + "\" (" + origin + " " + l.pointer() + ")";
            b.step(step);
            b.call(SyscallNr.OPENAT, AT_FDCWD, b.cstr(l.attrPath()), O_WRONLY | O_CLOEXEC).into(fd);
            requireFilesystem(b, fd, PROC_SUPER_MAGIC, l.attrPath(), step);
            long length = utf8Length(l.value());
            b.call(SyscallNr.WRITE, fd, b.cstr(l.value()), length).expect(length);
            b.call(SyscallNr.CLOSE, fd);
        }
    }

    /**
     * Fails, in a step of its own that names the check, unless {@code fd} is on the file system
     * whose statfs magic is {@code magic}: a write meant for procfs or sysfs must not land on a
     * file or file system mounted in their place (CVE-2019-16884, CVE-2025-52881). One fstatfs
     * per fd, by type only, as runc checks: which procfs instance it is does not matter for what
     * jrun writes (a sysctl and /proc/self are the writer's). {@code then} is the step that goes on.
     */
    static void requireFilesystem(ProgramBuilder b, Reg fd, long magic, String path, String then) {
        String kind = magic == PROC_SUPER_MAGIC ? "procfs" : "sysfs";
        b.step("check that " + path + " is on " + kind + " (fstatfs), not on a file system mounted in its place, before "
                + then);
        MemorySegment statfs = b.buffer(STATFS_SIZE);
        b.call(SyscallNr.FSTATFS, fd, statfs.address());
        b.expectLong(statfs.address(), magic, 0);
        b.step(then);
    }

    /**
     * Creates the terminal from the container's own devpts (its /dev/ptmx, resolved in its
     * root): TIOCGPTPEER opens the peer without a path lookup, so nothing in the image can
     * substitute another file for it. {@code consoleTarget} (the init's /dev/console) gets the
     * peer bind-mounted on it, on the name itself: no symlink is followed on the way (a
     * symlinked /dev is refused, and a /dev/console that is a symlink is covered as it is, its
     * own inode opened with O_NOFOLLOW), so an image cannot point the mount at a host-affecting
     * file such as /proc/sys/kernel/core_pattern (CVE-2025-52565). The master is parked on the console slot for the parent to take
     * (pidfd_getfd), and the child waits until it has.
     */
    void terminal(Reg root, boolean consoleTarget) {
        if (p.terminal() == null) {
            return;
        }
        String where = " (" + origin + " /process/terminal)";
        b.step("open the container's /dev/ptmx for the terminal" + where);
        openInRoot(root, "/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC, 0).into(master);
        MemorySegment unlock = b.buffer(4);
        b.call(SyscallNr.IOCTL, master, TIOCSPTLCK, unlock.address());
        b.call(SyscallNr.IOCTL, master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC).into(slave);
        if (p.terminal().rows() > 0 || p.terminal().columns() > 0) {
            b.step("set the terminal size (" + origin + " /process/consoleSize)");
            MemorySegment size = b.buffer(8);
            size.set(ValueLayout.JAVA_SHORT, 0, (short) p.terminal().rows());
            size.set(ValueLayout.JAVA_SHORT, 2, (short) p.terminal().columns());
            b.call(SyscallNr.IOCTL, slave, TIOCSWINSZ, size.address());
        }
        if (consoleTarget) {
            b.step("bind the terminal on /dev/console (no symlink followed)" + where);
            long empty = b.cstr("");
            Reg dev = b.newReg();
            openInRoot(root, "/dev", O_PATH | O_DIRECTORY | O_CLOEXEC, RESOLVE_NO_SYMLINKS).into(dev);
            b.call(SyscallNr.MKNODAT, dev, b.cstr("console"), S_IFREG | 0644, 0).ignoring(Errno.EEXIST);
            b.call(SyscallNr.CLOSE, dev);
            openInRoot(root, "/dev/console", O_PATH | O_NOFOLLOW | O_CLOEXEC, RESOLVE_NO_SYMLINKS).into(fd);
            Reg tree = b.newReg();
            b.call(SyscallNr.OPEN_TREE, slave, empty, OPEN_TREE_CLONE | O_CLOEXEC | AT_EMPTY_PATH).into(tree);
            b.call(SyscallNr.MOVE_MOUNT, tree, empty, fd, empty, MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
            b.call(SyscallNr.CLOSE, tree);
            b.call(SyscallNr.CLOSE, fd);
        }
        b.step("hand the terminal to jrun" + where);
        b.call(SyscallNr.DUP3, master, launch.consoleSlot(), O_CLOEXEC);
        b.call(SyscallNr.CLOSE, master);
        ChildLauncher.emitPause(b, pipes, RECORD_CONSOLE);
        b.call(SyscallNr.CLOSE, launch.consoleSlot());
    }

    /** Puts {@code stdio[n]} on fd n (-1, or n itself, keeps what the process has there). */
    void connectStdio(int[] stdio) {
        for (int n = 0; n < stdio.length; n++) {
            if (stdio[n] >= 0 && stdio[n] != n) {
                b.step("connect fd " + n);
                b.call(SyscallNr.DUP3, stdio[n], n, 0);
            }
        }
    }

    /** Makes the terminal's peer the process's stdio (the init's old stdio, jrun's, is let go). */
    void terminalAsStdio() {
        if (p.terminal() == null) {
            return;
        }
        b.step("make the terminal stdio (" + origin + " /process/terminal)");
        for (int stdio = 0; stdio <= 2; stdio++) {
            b.call(SyscallNr.DUP3, slave, stdio, 0);
        }
        b.call(SyscallNr.CLOSE, slave);
    }

    /**
     * The terminal on stdin becomes the controlling terminal of a new session, led by the process
     * that execs: exec's child, which forks that process (ChildLauncher.emitForkVisible), must
     * not lead it (the session would lose its terminal, and its process get SIGHUP, when jrun
     * kills the child).
     */
    void controllingTerminal() {
        if (p.terminal() == null) {
            return;
        }
        b.step("make the terminal the controlling terminal (" + origin + " /process/terminal)");
        b.call(SyscallNr.SETSID);
        b.call(SyscallNr.IOCTL, 0, TIOCSCTTY, 0);
    }

    /** The working directory, resolved in the container's root; then the executable and rlimits. */
    void workingDirectoryAndExecutable(Reg root) {
        b.step("change into the working directory " + p.cwd() + " (" + origin + " /process/cwd)");
        openInRoot(root, p.cwd(), O_PATH | O_DIRECTORY | O_CLOEXEC, 0).into(fd);
        b.call(SyscallNr.FCHDIR, fd);
        b.call(SyscallNr.CLOSE, fd);
        findExecutable();
        for (ProcessPlan.Limit l : p.rlimits()) {
            b.step("set " + l.name() + " to soft " + l.soft() + ", hard " + l.hard() + " (" + origin
                    + " /process/rlimits)");
            MemorySegment rlim = b.buffer(16);
            rlim.set(JAVA_LONG, 0, l.soft());
            rlim.set(JAVA_LONG, 8, l.hard());
            b.call(SyscallNr.PRLIMIT64, 0, l.resource(), rlim.address(), 0);
        }
    }

    /**
     * Go's exec.LookPath, as runc runs it at create time: a candidate must exist, be executable
     * and not be a directory. A path with a slash that exists but fails the rest is "permission
     * denied" (EACCES; podman turns that into exit status 126), a missing one ENOENT (127).
     */
    private void findExecutable() {
        String arg0 = p.args().get(0);
        String field = " (" + origin + " /process/args/0)";
        // A hook's path is what it executes, whatever its argv[0] names (execve's semantics,
        // as runc gives them: no PATH lookup), so its failures are execve's errnos.
        if (arg0.contains("/") || origin.equals(ContainerHookStarter.ORIGIN)) {
            long c = b.cstr(p.execCandidates().get(0));
            b.step("exec: \"" + arg0 + "\": stat " + arg0 + ": no such file or directory" + field);
            b.call(SyscallNr.FACCESSAT, AT_FDCWD, c, F_OK);
            b.step("exec: \"" + arg0 + "\": permission denied" + field);
            Label notDirectory = b.label();
            b.call(SyscallNr.FACCESSAT, AT_FDCWD, c, X_OK);
            b.call(SyscallNr.OPENAT, AT_FDCWD, c, O_PATH | O_DIRECTORY | O_CLOEXEC).into(fd).onError(notDirectory);
            b.fail(Errno.EACCES);
            b.bind(notDirectory);
            b.set(exec, c);
            return;
        }
        b.step("exec: \"" + arg0 + "\": executable file not found in $PATH" + field);
        Label found = b.label();
        for (String candidate : p.execCandidates()) {
            Label next = b.label();
            Label notDirectory = b.label();
            long c = b.cstr(candidate);
            b.call(SyscallNr.FACCESSAT, AT_FDCWD, c, X_OK).onError(next);
            b.call(SyscallNr.OPENAT, AT_FDCWD, c, O_PATH | O_DIRECTORY | O_CLOEXEC).into(fd).onError(notDirectory);
            b.call(SyscallNr.CLOSE, fd);
            b.jump(next);
            b.bind(notDirectory);
            b.set(exec, c);
            b.jump(found);
            b.bind(next);
        }
        b.fail(Errno.ENOENT);
        b.bind(found);
    }

    /**
     * Installs the seccomp filter when {@code here} is where it belongs (see
     * {@link SeccompFilter.Placement}). A notifying filter's listener is parked on the slot fd
     * the parent holds (dup3: the parent cannot know the number the kernel picks) and announced
     * on the report pipe; the parent takes it with pidfd_getfd and passes it to the agent.
     */
    void loadSeccompAt(SeccompFilter.Placement here) {
        SeccompFilter f = launch.seccomp();
        if (f == null || f.placement(p.noNewPrivileges()) != here) {
            return;
        }
        b.step("load the seccomp filter (config.json /linux/seccomp)");
        // Whatever jrun still does from here on passes the container's filter: a failure then
        // is most likely the filter refusing one of jrun's own calls, which the error must say.
        b.noteOnLaterSteps(", under the container's seccomp filter (config.json /linux/seccomp), which must allow it"
                + (here == SeccompFilter.Placement.BEFORE_IDENTITY
                        ? " (without noNewPrivileges the filter is loaded before the user and capabilities change)"
                        : ""));
        byte[] bpf = f.program();
        MemorySegment program = b.buffer(bpf.length);
        NativeCopy.put(bpf, 0, program, 0, bpf.length);
        MemorySegment fprog = b.buffer(16);
        fprog.set(ValueLayout.JAVA_SHORT, 0, (short) f.instructions());
        fprog.set(JAVA_LONG, 8, program.address());
        if (!f.hasListener()) {
            b.call(SyscallNr.SECCOMP, SeccompFilter.SECCOMP_SET_MODE_FILTER, f.flags(), fprog.address());
            return;
        }
        b.call(SyscallNr.SECCOMP, SeccompFilter.SECCOMP_SET_MODE_FILTER, f.flags(), fprog.address()).into(listener);
        b.step("hand the seccomp listener to jrun (config.json /linux/seccomp/listenerPath)");
        b.call(SyscallNr.DUP3, listener, launch.listenerSlot(), O_CLOEXEC);
        MemorySegment record = b.buffer(8);
        record.set(JAVA_INT, 0, SeccompFilter.RECORD_LISTENER);
        b.call(SyscallNr.WRITE, pipes.reportWrite(), record.address(), 8).expect(8);
        b.call(SyscallNr.CLOSE, listener);
    }

    /**
     * The scheduler, I/O priority and NUMA memory policy, in runc's order (standard_init_linux,
     * setns_init_linux), while the process still has the runtime's privileges: a real-time
     * policy, a negative nice and IOPRIO_CLASS_RT need CAP_SYS_NICE or CAP_SYS_ADMIN, which the
     * container's capabilities may not include.
     */
    void scheduling() {
        ProcessScheduling s = p.scheduling();
        ProcessScheduling.SchedAttr attr = s.scheduler();
        if (attr != null) {
            // EPERM for a real-time policy most often means a v1 cpu cgroup without RT time.
            boolean realTime = attr.policyName().equals("SCHED_FIFO") || attr.policyName().equals("SCHED_RR");
            b.step("set the scheduler " + attr.policyName() + " (" + origin + " /process/scheduler"
                    + (realTime ? "; with RT group scheduling, a v1 cpu cgroup also needs realtimeRuntime in "
                    + "/linux/resources/cpu, and its parent enough of its own)" : ")"));
            MemorySegment sched = b.buffer(SCHED_ATTR_SIZE);
            sched.set(JAVA_INT, 0, SCHED_ATTR_SIZE);
            sched.set(JAVA_INT, 4, attr.policy());
            sched.set(JAVA_LONG, 8, attr.flags());
            sched.set(JAVA_INT, 16, attr.nice());
            sched.set(JAVA_INT, 20, attr.priority());
            sched.set(JAVA_LONG, 24, attr.runtime());
            sched.set(JAVA_LONG, 32, attr.deadline());
            sched.set(JAVA_LONG, 40, attr.period());
            b.call(SyscallNr.SCHED_SETATTR, 0, sched.address(), 0);
        }
        if (s.ioPriority() != null) {
            // runc's choice: the process itself (IOPRIO_WHO_PROCESS, 0), which its children inherit.
            b.step("set the I/O priority (" + origin + " /process/ioPriority)");
            b.call(SyscallNr.IOPRIO_SET, IOPRIO_WHO_PROCESS, 0, s.ioPriority());
        }
        ProcessScheduling.MemoryPolicy policy = s.memoryPolicy();
        if (policy != null) {
            b.step("set the memory policy " + policy.modeName() + " (config.json /linux/memoryPolicy)");
            long[] words = policy.nodes().toLongArray();
            if (words.length == 0) {
                b.call(SyscallNr.SET_MEMPOLICY, policy.mode(), 0, 0);
            } else {
                // maxnode counts one bit more than the mask holds: the kernel drops the last one.
                b.call(SyscallNr.SET_MEMPOLICY, policy.mode(), longs(words), 64L * words.length + 1);
            }
        }
    }

    /**
     * {@code execCPUAffinity.final}: the CPUs of an exec'd process once it is in the container's
     * cgroup (joining a v1 cpuset, or being born in a v2 one, sets the affinity to the cgroup's
     * CPUs; this comes after). With neither final nor initial CPUs, the affinity is reset as
     * runc resets it.
     */
    void finalAffinity() {
        java.util.BitSet cpus = p.scheduling().finalCpus();
        if (cpus == null) {
            if (p.scheduling().initialCpus() == null) {
                resetAffinity();
            }
            return;
        }
        b.step("set the CPU affinity to " + CpuList.format(cpus) + " (" + origin
                + " /process/execCPUAffinity/final)");
        long[] words = cpus.toLongArray();
        b.call(SyscallNr.SCHED_SETAFFINITY, 0, 8L * words.length, longs(words));
    }

    /**
     * runc's tryResetCPUAffinity (1.2.7, 1.3.1 on): a process whose config sets no CPUs does not
     * keep those of the runtime that started it (jrun under taskset, or a service manager's
     * CPUAffinity), but may run on every CPU of its cgroup. The mask allows every CPU a kernel
     * can have; the kernel clamps it to the cgroup's cpuset. A failure leaves the inherited
     * affinity, as in runc (which only warns).
     */
    void resetAffinity() {
        b.step("reset the CPU affinity to the cgroup's CPUs");
        MemorySegment all = b.buffer(ALL_CPUS_MASK_BYTES);
        all.fill((byte) 0xff);
        b.call(SyscallNr.SCHED_SETAFFINITY, 0, ALL_CPUS_MASK_BYTES, all.address()).ignoringErrors();
    }

    private long longs(long[] words) {
        MemorySegment mask = b.buffer(8L * words.length);
        MemorySegment.copy(MemorySegment.ofArray(words), 0, mask, 0, 8L * words.length);
        return mask.address();
    }

    /**
     * Groups, user and capabilities, with the seccomp filter that must be loaded before them
     * (without no_new_privs, loading a filter needs CAP_SYS_ADMIN, which the container's user
     * and capabilities usually lack) placed as late as it can be: the bounding set, groups and
     * gid do not touch the effective capabilities, nor does uid 0, so only a change to another
     * uid and the capabilities themselves come after the filter. runc loads it before all of
     * them; jrun's calls under the container's filter are as few as they can be.
     */
    void identity() {
        CapabilitySets caps = p.capabilities();
        if (caps != null) {
            b.step("drop capabilities from the bounding set (" + origin + " /process/capabilities/bounding)");
            for (int cap = 0; cap <= Capabilities.lastCap(); cap++) {
                if ((caps.bounding() & (1L << cap)) == 0) {
                    b.call(SyscallNr.PRCTL, PR_CAPBSET_DROP, cap, 0, 0, 0);
                }
            }
            // Keeps the permitted set through a change to another uid, for capset to choose
            // from; execve clears the flag again.
            b.call(SyscallNr.PRCTL, PR_SET_KEEPCAPS, 1, 0, 0, 0);
            // Later steps can only lower the ambient set until the raises, so it is emptied
            // here, before the filter, rather than after it.
            b.step("clear the ambient capabilities (" + origin + " /process/capabilities/ambient)");
            b.call(SyscallNr.PRCTL, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
        }
        b.step("set the supplementary groups (" + origin + " /process/user/additionalGids)");
        List<Long> groups = p.additionalGids();
        MemorySegment gids = b.buffer(4L * Math.max(1, groups.size()));
        for (int i = 0; i < groups.size(); i++) {
            gids.setAtIndex(JAVA_INT, i, groups.get(i).intValue());
        }
        b.call(SyscallNr.SETGROUPS, groups.size(), gids.address()).ignoring(Errno.EPERM);
        b.step("set the group id " + p.gid() + " (" + origin + " /process/user/gid)");
        b.call(SyscallNr.SETRESGID, p.gid(), p.gid(), p.gid());
        if (p.uid() == 0) {
            setUid();
        }
        loadSeccompAt(SeccompFilter.Placement.BEFORE_IDENTITY);
        if (p.uid() != 0) {
            setUid();
        }
        if (caps != null) {
            b.step("set the capabilities (" + origin + " /process/capabilities)");
            MemorySegment header = b.buffer(8);
            header.set(JAVA_INT, 0, (int) LINUX_CAPABILITY_VERSION_3);
            MemorySegment data = b.buffer(24);
            data.set(JAVA_INT, 0, (int) caps.effective());
            data.set(JAVA_INT, 4, (int) caps.permitted());
            data.set(JAVA_INT, 8, (int) caps.inheritable());
            data.set(JAVA_INT, 12, (int) (caps.effective() >>> 32));
            data.set(JAVA_INT, 16, (int) (caps.permitted() >>> 32));
            data.set(JAVA_INT, 20, (int) (caps.inheritable() >>> 32));
            b.call(SyscallNr.CAPSET, header.address(), data.address());
            for (int cap = 0; cap <= Capabilities.lastCap(); cap++) {
                if ((caps.ambient() & (1L << cap)) != 0) {
                    // EPERM: the capability is not also inheritable (runc's default config asks
                    // for ambient caps without inheritable ones); runc and crun skip it too.
                    b.call(SyscallNr.PRCTL, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0).ignoring(Errno.EPERM);
                }
            }
        }
    }

    private void setUid() {
        b.step("set the user id " + p.uid() + " (" + origin + " /process/user/uid)");
        b.call(SyscallNr.SETRESUID, p.uid(), p.uid(), p.uid());
    }

    /**
     * The umask, no_new_privs, close-on-exec for every fd the process must not inherit, and
     * jrun's own fds closed; before {@link #identity}, so before any seccomp filter of the
     * container's.
     *
     * @param keptOpen fds of the program's own (its pipes, the exec fifo), close-on-exec,
     *                 that it still needs after this step; every other fd above the
     *                 preserved ones is closed
     */
    void hygiene(int... keptOpen) {
        b.step("set the umask (" + origin + " /process/user/umask)");
        b.call(SyscallNr.UMASK, p.umask() == null ? 0022 : p.umask());
        if (p.noNewPrivileges()) {
            b.step("set no_new_privs (" + origin + " /process/noNewPrivileges)");
            b.call(SyscallNr.PRCTL, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        }
        b.step("mark the file descriptors the container must not inherit close-on-exec");
        long tableSize = fdTableSize();
        Label marked = b.label();
        Label oneByOne = b.label();
        b.call(SyscallNr.CLOSE_RANGE, 3, 0xffffffffL, CLOSE_RANGE_CLOEXEC).onError(oneByOne);
        b.jump(marked);
        // close_range refused: jrun itself runs under a seccomp filter without it (runc falls
        // back the same way on any error). The child's fd table is a copy of jrun's.
        b.bind(oneByOne);
        b.callEach(SyscallNr.FCNTL, 3, tableSize, F_SETFD, FD_CLOEXEC);
        b.bind(marked);
        // The listener's slot stays: jrun's /dev/null until a listener is parked on it for jrun.
        int[] kept = java.util.Arrays.copyOf(keptOpen, keptOpen.length + 1);
        kept[keptOpen.length] = launch.listenerSlot();
        java.util.Arrays.sort(kept);
        // Only the caller's: a gap it left in the range holds a file of jrun's (CallerFds),
        // closed below like every other fd of jrun's unless the program still needs it.
        boolean[] passed = CallerFds.passedIn(3, 3 + launch.preserveFds());
        b.step("close jrun's file descriptors");
        for (int i = 0; i < passed.length; i++) {
            if (passed[i]) {
                b.call(SyscallNr.FCNTL, 3 + i, F_SETFD, 0);
            } else if (java.util.Arrays.binarySearch(kept, 3 + i) < 0) {
                b.call(SyscallNr.CLOSE, 3 + i).ignoring(Errno.EBADF);
            }
        }
        // Closed, not only close-on-exec: until its execve the process can be reached through
        // /proc/PID/fd by a container holding CAP_SYS_PTRACE, and jrun's fds (the JDK's
        // modules, jrun.jar) reopen there read-write (issue 16). The child loads no class, so
        // its JVM needs none of them.
        long from = 3L + launch.preserveFds();
        for (int keep : kept) {
            if (keep > from) {
                closeRange(from, keep - 1, tableSize);
            }
            from = Math.max(from, keep + 1L);
        }
        closeRange(from, 0xffffffffL, tableSize);
        b.step("clear the parent-death signal");
        b.call(SyscallNr.PRCTL, PR_SET_PDEATHSIG, 0);
    }

    /** Closes fds {@code from} to {@code to}; one by one below {@code tableSize} where close_range is refused. */
    private void closeRange(long from, long to, long tableSize) {
        Label closed = b.label();
        Label oneByOne = b.label();
        b.call(SyscallNr.CLOSE_RANGE, from, to, 0).onError(oneByOne);
        b.jump(closed);
        b.bind(oneByOne);
        b.callEach(SyscallNr.CLOSE, from, Math.min(to + 1, tableSize), 0, 0);
        b.bind(closed);
    }

    /**
     * The size of jrun's fd table (FDSize in /proc/self/status): every fd it holds has a lower
     * number, and the table grows only for an fd that does not fit, which jrun, opening the
     * lowest free numbers, does not make before the fork. A soft RLIMIT_NOFILE of 2^20 or more
     * would make the loop long where FDSize is typically 64 or 256. Without the line, the limit.
     */
    private long fdTableSize() {
        try {
            String status = ProcFiles.read(Path.of("/proc/self/status"));
            int at = status.indexOf("\nFDSize:");
            if (at >= 0) {
                int end = status.indexOf('\n', at + 1);
                return Long.parseLong(status.substring(at + 8, end < 0 ? status.length() : end).strip());
            }
        } catch (java.io.IOException | NumberFormatException e) {
            // the limit below bounds the fd numbers as well
        }
        MemorySegment limit = b.buffer(16);
        Sys.call("read the open files limit", SyscallNr.PRLIMIT64, 0, RLIMIT_NOFILE, 0, limit.address());
        return Math.min(limit.get(JAVA_LONG, 0), Integer.MAX_VALUE);
    }

    void execve() {
        b.step("exec " + p.args().get(0) + " (" + origin + " /process/args/0)");
        b.call(SyscallNr.EXECVE, exec, b.cstrArray(p.args()), b.cstrArray(p.env()));
    }

    /**
     * Opens {@code path} inside the root {@code rootFd} with openat2(RESOLVE_IN_ROOT): symlinks
     * resolve as if the rootfs were /, and /proc magic links are refused.
     */
    static ProgramBuilder.OpRef openInRoot(ProgramBuilder b, Reg rootFd, String path, long flags, long resolve) {
        MemorySegment how = NativeCopy.openHow(b.buffer(OPEN_HOW_SIZE), flags, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | resolve);
        return b.call(SyscallNr.OPENAT2, rootFd, b.cstr(path), how.address(), OPEN_HOW_SIZE);
    }

    private ProgramBuilder.OpRef openInRoot(Reg rootFd, String path, long flags, long resolve) {
        return openInRoot(b, rootFd, path, flags, resolve);
    }

    static long utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
