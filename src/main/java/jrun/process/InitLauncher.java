package jrun.process;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import jrun.base.Timing;
import jrun.linux.ContainerPlan;
import jrun.linux.MountStep;
import jrun.linux.NamespaceKind;
import jrun.linux.cgroups.CgroupManager;
import jrun.linux.seccomp.ListenerHandover;
import jrun.rootless.RootlessMode;
import jrun.spec.Spec;
import jrun.sys.Identity;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * Forks a container's init and takes it through its set-up to its report that the container is
 * set up: the process-level half of {@code create}. What the container layer does at the init's
 * stops (its state, its create hooks) it is asked through {@link Stops}.
 */
public final class InitLauncher {
    /** The container layer's part at the init's stops. */
    public interface Stops {
        /**
         * The process that will exec the container's program exists and has its final pid (the
         * init itself, or the process it forked into the pid namespace it joins).
         */
        void initKnown(ChildLauncher.Child init);

        /** The init waits while the create hooks run (createRuntime, createContainer). */
        void runCreateHooks(int initPid);

        /** How a seccomp agent is told of the container, given the pid it is to watch. */
        ListenerHandover.ContainerProcessState listenerState(int pid);

        /** This attempt failed and its init is gone: undo what the calls above made. */
        void failed(Throwable failure);
    }

    private InitLauncher() {}

    /**
     * Forks the init (again while it froze in the JVM: {@link ForkAttempts}) and sets it up.
     * {@code beforeRetry} undoes what a frozen attempt may have left (null: nothing to undo).
     * On failure the init is killed and {@code stops} told.
     */
    public static ProcessSetup.Launched launch(Arena arena, ContainerPlan plan, Spec spec, InitProgram.Options options,
                                               CgroupManager cgroup, RootlessMode rootless, Identity me, Stops stops,
                                               RuntimeNamespaceRootfs beforeRetry) {
        ForkAttempts attempts = new ForkAttempts();
        while (true) {
            try {
                return launchOnce(arena, plan, spec, options, cgroup, rootless, me, stops);
            } catch (ChildHungException e) {
                if (beforeRetry != null) {
                    beforeRetry.undo(e);
                }
                attempts.hung(e);
            }
        }
    }

    /** The mounts the init pauses at for jrun to fill (InitProgram.copyUp), in its order. */
    public static List<MountStep.Filesystem> copyUpMounts(ContainerPlan plan) {
        List<MountStep.Filesystem> out = new ArrayList<>();
        for (MountStep m : plan.mounts()) {
            if (m instanceof MountStep.Filesystem f && f.copyUp()) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * One fork of the init, through to its report that the container is set up. A child that
     * froze in the JVM has been killed when {@link ChildHungException} comes out.
     */
    private static ProcessSetup.Launched launchOnce(Arena arena, ContainerPlan plan, Spec spec,
                                                    InitProgram.Options options, CgroupManager cgroup,
                                                    RootlessMode rootless, Identity me, Stops stops) {
        ChildLauncher.Pipes pipes = ChildLauncher.Pipes.open(arena);
        ChildLauncher.Child child;
        // Born in its cgroup2 directory (CLONE_INTO_CGROUP); moves itself into the v1 hierarchies.
        int cgroupFd = cgroup.openForClone();
        try (StartFds fds = new StartFds(pipes, cgroupFd)) {
            Program program = InitProgram.compile(arena, pipes, plan, options, cgroup.selfJoinFiles());
            Timing.mark("init program compiled");
            // New time and cgroup namespaces are unshared by the child itself (InitProgram
            // timeNamespace, cgroupNamespace): the latter once it is in its cgroup.
            long unsharedLater = NamespaceKind.TIME.cloneFlag() | NamespaceKind.CGROUP.cloneFlag();
            try (PidNamespaceEntry pidNamespace = PidNamespaceEntry.enter(plan)) {
                child = ChildLauncher.start(program, pipes, plan.cloneFlags() & ~unsharedLater, cgroupFd);
            }
            fds.started();
        }
        Timing.mark("init cloned and alive");
        // The init forks the container's process into the pid namespace it joins at the end.
        boolean forks = PidNamespaceEntry.forkedIntoAtTheEnd(plan);
        ProcessSetup.Handover h = new ProcessSetup.Handover(child);
        try {
            ParentSetup.prepare(child, spec, plan, rootless, me);
            ChildLauncher.resume(child);
            // Told while the init sets the container up: its start time never changes. An init
            // that forks into the pid namespace it joins is the forked process: told once that exists.
            if (!forks) {
                stops.initKnown(child);
            }
            for (MountStep.Filesystem m : copyUpMounts(plan)) {
                ChildLauncher.await(child, InitProgram.RECORD_COPY_UP);
                TmpCopyUp.copy(child, options.mounts(), m);
                ChildLauncher.resume(child);
            }
            Timing.mark("tmpcopyup mounts filled");
            if (options.pauseForHooks()) {
                ChildLauncher.await(child, InitProgram.RECORD_HOOKS);
                stops.runCreateHooks(child.pid());
                Timing.mark("create hooks run");
                ChildLauncher.resume(child);
            }
            ProcessSetup.takeHandovers(h, plan.process(), options.launch(), stops.listenerState(child.pid()), forks);
            if (forks) {
                stops.initKnown(h.child);
            }
            ChildLauncher.await(h.child, ChildLauncher.RECORD_READY);
            Timing.mark("init set up the container");
            return new ProcessSetup.Launched(h.child, h.master);
        } catch (RuntimeException | Error e) {
            if (h.master >= 0) {
                Sys.attempt(SyscallNr.CLOSE, h.master);
            }
            ChildLauncher.abandon(h.child, e);
            stops.failed(e);
            throw e;
        }
    }
}
