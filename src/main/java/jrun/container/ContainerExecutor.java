package jrun.container;

import java.lang.foreign.Arena;
import java.util.List;
import jrun.base.Timing;
import jrun.linux.HostProbe;
import jrun.linux.ProcessPlan;
import jrun.linux.ProcessPlanner;
import jrun.linux.cgroups.CgroupManager;
import jrun.linux.cgroups.Cgroups;
import jrun.linux.lsm.ExecLabel;
import jrun.linux.lsm.LsmPlanner;
import jrun.linux.seccomp.ListenerHandover;
import jrun.linux.seccomp.SeccompCompiler;
import jrun.linux.seccomp.SeccompFilter;
import jrun.process.ChildLauncher;
import jrun.process.Console;
import jrun.process.ContainerJoin;
import jrun.process.Foreground;
import jrun.process.ProcessSetup;
import jrun.process.StepFailedException;
import jrun.spec.Linux;
import jrun.spec.ProcessSpec;
import jrun.spec.Seccomp;
import jrun.state.ContainerState;
import jrun.state.ContainerStatus;
import jrun.state.StateStore;
import jrun.sys.InRoot;
import jrun.sys.Kernel;
import jrun.sys.Reaper;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * {@code exec}: a new process in a running container, in all its namespaces, its root and its
 * cgroup, with the container's seccomp filter, and its own process settings. In the foreground
 * it forwards signals (and relays a terminal) and returns the process's exit status like
 * {@code run}; detached it returns once the process has exec'd.
 */
public final class ContainerExecutor {
    /**
     * @param origin where the process came from, for messages ("config.json" or the --process file)
     * @param seccomp the container's filter settings (its config's linux.seccomp), or null
     * @param memoryPolicy the container's linux.memoryPolicy, which runc gives exec'd processes too, or null
     * @param stdio the process's fds 0, 1 and 2 (empty: jrun's own, the CLI's caller's)
     */
    /** {@code containerLinux}: the container's saved {@code linux} section (null without one). */
    public record Request(String id, ProcessSpec process, String origin, Linux containerLinux, String consoleSocket,
                          boolean detach, String pidFile, int preserveFds, boolean ignorePaused, int[] stdio) {
        public Request(String id, ProcessSpec process, String origin, Linux containerLinux, String consoleSocket,
                       boolean detach, String pidFile, int preserveFds, boolean ignorePaused) {
            this(id, process, origin, containerLinux, consoleSocket, detach, pidFile, preserveFds, ignorePaused,
                    new int[0]);
        }

        /** The container's seccomp profile: an exec'd process is confined as its init is. */
        Seccomp seccomp() {
            return containerLinux == null ? null : containerLinux.seccomp();
        }

        Linux.MemoryPolicy memoryPolicy() {
            return containerLinux == null ? null : containerLinux.memoryPolicy();
        }
    }

    /**
     * An exec'd process that keeps running in a long-lived caller (the shim): its pidfd and the
     * terminal's master (-1 without one) are the caller's to close.
     */
    public record Running(int pid, int pidfd, int consoleMaster) {}

    private final StateStore store;

    public ContainerExecutor(StateStore store) {
        this.store = store;
    }

    /** Returns the process's exit status, or 0 once it runs when detached. */
    public int exec(Request request) {
        return exec(request, null, false);
    }

    /**
     * Starts the process (detached, no console socket) and hands its pidfd and terminal master
     * over instead of closing them, for a caller that waits for it and relays its terminal.
     *
     * @param refuseReachable throw {@link jrun.process.ReachableChildException} rather than fork
     *        a child that a process of the container could read (see ContainerJoin.Extras)
     */
    public Running start(Request request, boolean refuseReachable) {
        Running[] running = new Running[1];
        exec(request, running, refuseReachable);
        return running[0];
    }

    private int exec(Request request, Running[] handOver, boolean refuseReachable) {
        ContainerState state = store.load(request.id());
        ContainerStatus status = StatusProbe.system().status(state, store.containerDir(request.id()));
        Lifecycle.check(request.ignorePaused() ? Lifecycle.Verb.EXEC_IGNORING_PAUSED : Lifecycle.Verb.EXEC,
                status, request.id());
        ProcessSpec process = request.process();
        Console.checkUsage(process.terminal(), request.consoleSocket(), request.detach());
        SeccompCompiler.Pending seccompJob = SeccompCompiler.compileInBackground(request.seccomp());
        // The container's root as it is now (its mounts, files it swapped in), not the bundle's rootfs.
        ProcessPlan plan = ProcessPlanner.plan(process, request.memoryPolicy(),
                () -> InRoot.readFile("/proc/" + state.pid() + "/root", "/etc/passwd", 1 << 20));
        List<ExecLabel> labels = LsmPlanner.execLabels(process.apparmorProfile(), process.selinuxLabel(), null,
                HostProbe::lsmHost);
        SeccompFilter seccomp = seccompJob.get();
        CgroupManager cgroup = Cgroups.of(state.cgroupPaths()).orElse(null);
        Timing.mark("exec planned");

        Arena arena = Arena.ofShared();
        int listenerSlot = -1;
        int consoleSlot = -1;
        int consoleSocket = -1;
        ProcessSetup.Launched launched = null;
        try {
            if (seccomp != null && seccomp.hasListener()) {
                listenerSlot = ChildLauncher.reserveSlot(arena, "the seccomp listener");
            }
            if (plan.terminal() != null) {
                if (request.consoleSocket() != null && !request.consoleSocket().isEmpty()) {
                    consoleSocket = Console.connect(request.consoleSocket());
                }
                consoleSlot = ChildLauncher.reserveSlot(arena, "the terminal");
            }
            // As in create: the child is a copy of this JVM until its execve (CVE-2019-5736).
            Sys.call("make jrun non-dumpable", SyscallNr.PRCTL, Kernel.PR_SET_DUMPABLE, 0);
            ProcessSetup.Launch launch = new ProcessSetup.Launch(request.preserveFds(), seccomp, listenerSlot, labels,
                    consoleSlot);
            ListenerHandover.ContainerProcessState listenerState = new ListenerHandover.ContainerProcessState(
                    state.ociVersion(), state.pid(), seccomp == null ? null : seccomp.listenerMetadata(), state.id(),
                    status.jsonName(), state.bundle(), state.annotations());
            launched = ContainerJoin.launch(arena, state.pid(), cgroup, plan, launch,
                    new ContainerJoin.Extras(request.stdio(), listenerState, status == ContainerStatus.PAUSED,
                            refuseReachable, false),
                    request.origin());
            Timing.mark("exec'd process set up");
        } finally {
            for (int f : new int[] {listenerSlot, consoleSlot}) {
                if (f >= 0) {
                    Sys.attempt(SyscallNr.CLOSE, f);
                }
            }
            if (launched == null) {
                if (consoleSocket >= 0) {
                    Sys.attempt(SyscallNr.CLOSE, consoleSocket);
                }
                arena.close();
            }
        }
        ChildLauncher.Child child = launched.child();
        int master = launched.consoleMaster();
        try {
            if (consoleSocket >= 0) {
                Console.send(consoleSocket, master);
                master = -1;
            }
            Foreground foreground = null;
            if (!request.detach() && handOver == null) {
                foreground = Foreground.attach(child.pidfd(), master);
                master = -1; // the relay's now
            }
            try {
                if (status != ContainerStatus.PAUSED) {
                    // (in a paused container the execve waits for resume)
                    ChildLauncher.await(child, 0);
                }
                Timing.mark("process exec'd");
                if (request.pidFile() != null && !request.pidFile().isEmpty()) {
                    PidFile.write(java.nio.file.Path.of(request.pidFile()), child.pid());
                }
                if (handOver != null) {
                    handOver[0] = new Running(child.pid(), Sys.dup("keep the exec'd process's pidfd", child.pidfd()), master);
                    master = -1;
                    return 0;
                }
                if (request.detach()) {
                    return 0;
                }
                return Reaper.waitExit(child.pidfd());
            } catch (StepFailedException e) {
                Reaper.waitExit(child.pidfd());
                throw e;
            } finally {
                if (foreground != null) {
                    foreground.close();
                }
            }
        } finally {
            if (master >= 0) {
                Sys.attempt(SyscallNr.CLOSE, master);
            }
            Sys.attempt(SyscallNr.CLOSE, child.pidfd());
            child.pipes().closeParentEnds();
            arena.close();
        }
    }
}
