package jrun.process;

import static jrun.sys.Kernel.O_CLOEXEC;
import static jrun.sys.Kernel.O_PATH;
import static jrun.sys.Kernel.O_RDONLY;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jrun.base.JrunException;
import jrun.linux.NamespaceKind;
import jrun.linux.ProcessPlan;
import jrun.linux.cgroups.CgroupManager;
import jrun.linux.seccomp.ListenerHandover;
import jrun.sys.NativeCopy;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * Starts a process inside an existing container, next to its init: in every namespace the init
 * is in that jrun is not (read from /proc/PID/ns when the process starts, so namespaces the init
 * unshared itself, time and cgroup, are the ones joined), in its root, and, when given, in its
 * cgroup (born there on v2, moving itself there first on v1, moved there by jrun when the
 * container is paused: never outside it once running).
 * Used by {@code exec}, and by the hooks that the spec runs in the container's namespaces.
 */
public final class ContainerJoin {
    /**
     * What else the launch needs: {@code listenerState} describes the container to a seccomp
     * agent (null without a listener); {@code stdio} see {@link ExecProgram.Options};
     * {@code cgroupFrozen}: the container is paused; {@code refuseReachable}: throw
     * {@link ReachableChildException} instead of forking a child a process of the container could
     * read (a JVM whose heap holds other containers' data: the shim); {@code runtimes}: the
     * process is the runtime's own (a createContainer hook, the engine's program), not one of the
     * container's, so it may come in next to a child of jrun's that still maps the host's files
     * (the init waiting for its hooks).
     */
    public record Extras(int[] stdio, ListenerHandover.ContainerProcessState listenerState, boolean cgroupFrozen,
                         boolean refuseReachable, boolean runtimes) {}

    private ContainerJoin() {}

    public static ProcessSetup.Launched launch(Arena arena, int initPid, CgroupManager cgroup, ProcessPlan plan,
                           ProcessSetup.Launch launch, Extras extras, String origin) {
        ChildLauncher.warmUp();
        List<ExecProgram.Join> joins = new ArrayList<>();
        int rootFd = -1;
        try {
            openJoins(new ProcNamespaces(arena, initPid), joins);
            rootFd = (int) Sys.call("open the root of the container's init", SyscallNr.OPENAT, -100,
                    NativeCopy.cString(arena, "/proc/" + initPid + "/root").address(), O_PATH | O_CLOEXEC);
            boolean joinLast = cgroup != null && extras.cgroupFrozen();
            // Into a paused container the parent moves the process by pid once it is set up
            // (moving itself, it would freeze at once); else it moves itself into v1 hierarchies.
            List<Path> selfJoin = cgroup == null || joinLast ? List.of() : cgroup.selfJoinFiles();
            boolean reachable = PtraceReach.ofExec(initPid, plan, ExecProgram.joins(joins, NamespaceKind.USER),
                    ExecProgram.joinsPidNamespace(joins), !extras.runtimes());
            if (reachable && extras.refuseReachable()) {
                throw new ReachableChildException(origin);
            }
            ExecProgram.Options options = new ExecProgram.Options(joins, rootFd, launch, extras.stdio(), origin,
                    joinLast, selfJoin, reachable);
            ForkAttempts attempts = new ForkAttempts();
            while (true) {
                try {
                    return launchOnce(arena, initPid, cgroup, plan, options, extras);
                } catch (ChildHungException e) {
                    attempts.hung(e);
                }
            }
        } finally {
            for (ExecProgram.Join j : joins) {
                Sys.attempt(SyscallNr.CLOSE, j.fd());
            }
            if (rootFd >= 0) {
                Sys.attempt(SyscallNr.CLOSE, rootFd);
            }
        }
    }

    private static ProcessSetup.Launched launchOnce(Arena arena, int initPid, CgroupManager cgroup, ProcessPlan plan,
                                       ExecProgram.Options options, Extras extras) {
        ChildLauncher.Pipes pipes = ChildLauncher.Pipes.open(arena);
        Program program = ExecProgram.compile(arena, pipes, plan, options);
        ChildLauncher.Child child;
        // A frozen cgroup would freeze the child before it could report: it joins once set up,
        // while the child waits to be let go on to its execve (which then waits for the
        // container's resume): let go before, it would run its own code in a paused container.
        boolean joinLast = options.waitAfterReady();
        // Born in its cgroup2 directory (v2, and the unified hierarchy of a hybrid host); moves
        // itself into the v1 hierarchies (ExecProgram); or, paused, moved by pid at the end.
        int cgroupFd = cgroup == null || joinLast ? -1 : cgroup.openForClone();
        try (StartFds fds = new StartFds(pipes, cgroupFd);
             InitialAffinity cpus = plan.scheduling().initialCpus() == null ? null
                : InitialAffinity.apply(arena, plan.scheduling().initialCpus(), options.origin())) {
            child = ChildLauncher.start(program, pipes, 0, cgroupFd);
            fds.started();
        }
        ProcessSetup.Handover h = new ProcessSetup.Handover(child);
        try {
            if (plan.oomScoreAdj() != null) {
                ParentSetup.writeProcFile(Path.of("/proc", Integer.toString(child.pid()), "oom_score_adj"),
                        Long.toString(plan.oomScoreAdj()), "/process/oomScoreAdj");
            }
            ChildLauncher.resume(child);
            ProcessSetup.takeHandovers(h, plan, options.launch(), extras.listenerState(),
                    ExecProgram.joinsPidNamespace(options.joins()));
            ChildLauncher.await(h.child, ChildLauncher.RECORD_READY);
            if (joinLast) {
                cgroup.addProcess(h.child.pid());
                finalAffinity(arena, h.child.pid(), plan, options.origin());
                ChildLauncher.resume(h.child);
            }
            return new ProcessSetup.Launched(h.child, h.master);
        } catch (RuntimeException | Error e) {
            if (h.master >= 0) {
                Sys.attempt(SyscallNr.CLOSE, h.master);
            }
            ChildLauncher.abandon(h.child, e);
            throw e;
        }
    }

    /** In a paused container, the process's final CPUs once jrun has moved it into the cgroup. */
    private static void finalAffinity(Arena arena, int pid, ProcessPlan plan, String origin) {
        java.util.BitSet cpus = plan.scheduling().finalCpus();
        if (cpus == null) {
            return;
        }
        java.lang.foreign.MemorySegment mask = NativeCopy.of(arena, cpus.toLongArray());
        Sys.call("set the CPU affinity of the exec'd process (" + origin + " /process/execCPUAffinity/final)",
                SyscallNr.SCHED_SETAFFINITY, pid, mask.byteSize(), mask.address());
    }

    /**
     * The init's namespaces as the parent sees them: the seam between choosing which to join,
     * and in what order, and the kernel (a unit test gives fake fds).
     */
    interface InitNamespaces {
        /** Whether the init is in jrun's own namespace of this kind: nothing to join. */
        boolean sharedWithJrun(NamespaceKind kind);

        /** An fd of the init's namespace of this kind, for the child's setns. */
        int open(NamespaceKind kind);
    }

    /**
     * Opens, into {@code joins}, every namespace of the init's that is not jrun's, in the order
     * the child enters them: user first (it owns the others, and entering it gives the rights to
     * enter them), mount last. Pid, entered by the child, applies to the process it forks once
     * set up (see ExecProgram). What was opened before a failure is in {@code joins}, to close.
     */
    static void openJoins(InitNamespaces namespaces, List<ExecProgram.Join> joins) {
        for (NamespaceKind kind : JOIN_ORDER) {
            if (!namespaces.sharedWithJrun(kind)) {
                joins.add(new ExecProgram.Join(kind, namespaces.open(kind)));
            }
        }
    }

    private static final NamespaceKind[] JOIN_ORDER = {NamespaceKind.USER, NamespaceKind.PID, NamespaceKind.IPC,
        NamespaceKind.UTS, NamespaceKind.NETWORK, NamespaceKind.CGROUP, NamespaceKind.TIME, NamespaceKind.MOUNT};

    /** The kernel's answer: /proc/PID/ns of the init against /proc/self/ns (read when the process starts). */
    private record ProcNamespaces(Arena arena, int initPid) implements InitNamespaces {
        @Override
        public boolean sharedWithJrun(NamespaceKind kind) {
            try {
                Path theirs = Path.of("/proc", Integer.toString(initPid), "ns", kind.procName());
                return Files.readSymbolicLink(theirs).equals(Files.readSymbolicLink(Path.of("/proc/self/ns", kind.procName())));
            } catch (IOException e) {
                throw new JrunException("cannot read the " + kind.specName() + " namespace of the container's init "
                        + initPid + ": " + e.getMessage(), e);
            }
        }

        @Override
        public int open(NamespaceKind kind) {
            String path = "/proc/" + initPid + "/ns/" + kind.procName();
            return (int) Sys.call("open the container's " + kind.specName() + " namespace " + path, SyscallNr.OPENAT, -100,
                    NativeCopy.cString(arena, path).address(), O_RDONLY | O_CLOEXEC);
        }
    }
}
