package jrun.container;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jrun.base.JrunException;
import jrun.base.Timing;
import jrun.linux.ContainerPlan;
import jrun.linux.ContainerPlanner;
import jrun.linux.HostFacts;
import jrun.linux.HostProbe;
import jrun.linux.NamespaceKind;
import jrun.linux.cgroups.CgroupManager;
import jrun.linux.cgroups.Cgroups;
import jrun.linux.lsm.ExecLabel;
import jrun.linux.lsm.LsmPlanner;
import jrun.linux.seccomp.ListenerHandover;
import jrun.linux.seccomp.SeccompCompiler;
import jrun.linux.seccomp.SeccompFilter;
import jrun.process.ChildLauncher;
import jrun.process.Console;
import jrun.process.IdmappedMounts;
import jrun.process.InitLauncher;
import jrun.process.InitProgram;
import jrun.process.ProcessSetup;
import jrun.process.PtraceReach;
import jrun.process.ReachableChildException;
import jrun.process.RuntimeNamespaceRootfs;
import jrun.rootless.RootlessConfig;
import jrun.rootless.RootlessMode;
import jrun.rootless.SubordinateIds;
import jrun.spec.Spec;
import jrun.spec.SpecReader;
import jrun.state.ContainerId;
import jrun.state.ContainerLock;
import jrun.state.ContainerState;
import jrun.state.ContainerStatus;
import jrun.state.ProcStat;
import jrun.state.StateStore;
import jrun.sys.Kernel;
import jrun.sys.NativeCopy;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;
import jrun.sys.Identity;
import jrun.validation.ConfigLoader;
import jrun.validation.LoadedConfig;
import jrun.validation.Problem;

/**
 * {@code create}: validates the bundle, plans the container, forks its init into its namespaces
 * and waits until the init has set everything up and blocks on the exec fifo. On any failure
 * the init is killed (its mounts die with its mount namespace; without one of its own, they are
 * unmounted: {@link RuntimeNamespaceRootfs}) and the state directory and fifo are removed:
 * nothing is left behind.
 */
public final class ContainerCreator {
    /**
     * What {@code create} (and {@code run}) were asked.
     *
     * @param consoleSocket where to send the terminal's master, or null
     * @param detached whether jrun returns once the container exists ({@code create},
     *                 {@code run -d}): then a terminal needs a console socket
     * @param stdio the init's fds 0, 1 and 2 (empty: jrun's own, the CLI's caller's)
     */
    public record Request(String id, Path bundle, String pidFile, boolean noPivot, boolean noNewKeyring,
                          int preserveFds, String consoleSocket, boolean detached, int[] stdio) {
        public Request(String id, Path bundle, String pidFile, boolean noPivot, boolean noNewKeyring,
                       int preserveFds, String consoleSocket, boolean detached) {
            this(id, bundle, pidFile, noPivot, noNewKeyring, preserveFds, consoleSocket, detached, new int[0]);
        }
    }

    /**
     * A created container whose init is our child (still needed by {@code run} to wait for it).
     *
     * @param consoleMaster the terminal's master when jrun relays it itself, else -1
     * @param lock the container's lock, still held ({@link #createLocked}), else null
     */
    public record Created(ContainerState state, ChildLauncher.Child child, Arena arena, int consoleMaster,
                          ContainerLock lock) implements AutoCloseable {
        @Override
        public void close() {
            if (lock != null) {
                lock.close();
            }
            Sys.attempt(SyscallNr.CLOSE, child.pidfd());
            child.pipes().closeParentEnds();
            arena.close();
        }
    }

    private static final int S_IFIFO = 0010000;

    private final StateStore store;
    private final java.util.function.Consumer<String> warn;
    private final RootlessMode rootless;
    private final Identity me;

    /**
     * @param warn where what the config asks and jrun does not do, without failing, is said
     * @param rootless runc's rootless switches: an ordinary user's container (see jrun.rootless)
     */
    public ContainerCreator(StateStore store, java.util.function.Consumer<String> warn, RootlessMode rootless) {
        this.store = store;
        this.warn = warn;
        this.rootless = rootless;
        this.me = rootless.euid() ? Identity.current() : new Identity(0, 0);
    }

    public Created create(Request request) {
        return create(request, false, false);
    }

    /**
     * Creates the container unless a process of it could read the init's memory before its
     * execve ({@link PtraceReach}): then throws {@link ReachableChildException} before anything
     * exists, for a caller whose heap holds other containers' data (the shim) to run a fresh
     * {@code jrun create} instead.
     */
    public Created createUnlessReachable(Request request) {
        return create(request, false, true);
    }

    /**
     * Creates the container and keeps holding its lock, for {@code run} to start it without
     * taking the lock again and reloading the state it has just written.
     */
    public Created createLocked(Request request) {
        return create(request, true, false);
    }

    private Created create(Request request, boolean keepLock, boolean refuseReachable) {
        ContainerId.validate(request.id());
        // Usually started by Main already. Not joined here: the parent's syscalls wait only for the
        // handle they use (Native's class initialiser), so the state directory, cgroup and
        // fifo are made while the child's own handle is still being linked; the clone waits
        // for the whole warm-up (ChildLauncher.start).
        ChildLauncher.warmUpInBackground();
        LoadedConfig config = ConfigLoader.load(request.bundle());
        Timing.mark("config loaded and validated");
        for (Problem w : config.warnings()) {
            warn.accept(w.toString());
        }
        Spec spec = SpecReader.read(config.tree());
        if (spec.process() == null) {
            throw new JrunException("config.json: /process: create needs a process to run");
        }
        Console.checkUsage(spec.process().terminal(), request.consoleSocket(), request.detached());
        SeccompCompiler.Pending seccompJob = SeccompCompiler.compileInBackground(
                spec.linux() == null ? null : spec.linux().seccomp());
        // linux.resources are refused here, each field by its pointer, before anything exists.
        // A rootless container's cgroup is decided first: its cgroup mounts bind where it is.
        Cgroups.Prepared rootlessCgroup = null;
        if (rootless.euid()) {
            String name = SubordinateIds.userName(me.uid());
            RootlessConfig.check(spec, me, SubordinateIds.read(SubordinateIds.SUBUID, me.uid(), me.uid(), name),
                    SubordinateIds.read(SubordinateIds.SUBGID, me.gid(), me.uid(), name));
        }
        if (rootless.cgroups()) {
            rootlessCgroup = Cgroups.prepareRootless(spec.linux().resources(), config.tree().path("linux").path("resources"),
                    spec.linux().cgroupsPath(), request.id());
        }
        ContainerPlan plan = new ContainerPlanner(HostFacts.live()).plan(spec, config.bundle(), request.noPivot(),
                        request.id(), rootlessCgroup == null ? null : Cgroups.mountSources(rootlessCgroup.manager()))
                .withSessionKeyring(request.noNewKeyring() ? null : request.id());
        Timing.mark("container planned");
        if (refuseReachable && PtraceReach.ofInit(plan)) {
            throw new ReachableChildException("the init of container " + request.id());
        }
        Cgroups.Prepared cgroup = rootlessCgroup != null ? rootlessCgroup
                : Cgroups.prepare(spec.linux().resources(), spec.linux().cgroupsPath(), request.id());
        Timing.mark("cgroup resources checked");
        // Refused here, with the field's pointer, before any process exists.
        SeccompFilter seccomp = seccompJob.get();
        List<ExecLabel> labels = LsmPlanner.execLabels(spec.process().apparmorProfile(),
                spec.process().selinuxLabel(), spec.linux().mountLabel(), HostProbe::lsmHost);
        Timing.mark("seccomp filter and LSM labels prepared");

        ContainerState initial = ContainerState.creating(spec.ociVersion(), request.id(), config.bundle().toString(),
                plan.rootfs(), spec.annotations()).withRootless(rootless.stateRootless());
        ContainerLock lock = store.create(initial);
        Timing.mark("state directory created");
        // Confined: only this thread (and its copy in the forked init) touches the init's
        // program and pipes. Closing a shared arena is a handshake with every JVM thread,
        // on every create and run.
        Arena arena = Arena.ofConfined();
        ChildLauncher.Child child = null;
        InitStops stops = new InitStops(spec, plan, initial, cgroup.manager(), seccomp);
        int fifoFd = -1;
        int listenerSlot = -1;
        int consoleSlot = -1;
        int[] copyUpSlots = {-1, -1};
        IdmappedMounts idmapped = null;
        int consoleSocket = -1;
        int master = -1;
        boolean cgroupCreated = false;
        RuntimeNamespaceRootfs runtimeNamespaceRootfs = null;
        try {
            // Before the first system call of jrun's own, which waits for the FFM link on the
            // other thread (Native): plain file writes, and the memory accessors that thread
            // needs next.
            NativeCopy.prepareFieldAccess();
            LifecycleHooks.save(store, request.id(), config.tree().get("hooks"), spec.hooks());
            SavedConfig.save(store, request.id(), config.tree());
            cgroup.create();
            cgroupCreated = true;
            Timing.mark("cgroup created");
            Path fifo = store.execFifo(request.id());
            fifoFd = makeFifo(fifo, arena);
            Timing.mark("exec fifo made");
            if (seccomp != null && seccomp.hasListener()) {
                listenerSlot = ChildLauncher.reserveSlot(arena, "the seccomp listener");
            }
            if (plan.process().terminal() != null) {
                if (request.consoleSocket() != null && !request.consoleSocket().isEmpty()) {
                    consoleSocket = Console.connect(request.consoleSocket());
                }
                consoleSlot = ChildLauncher.reserveSlot(arena, "the terminal");
            }
            // Non-dumpable, inherited by the clone: until execve the init is a copy of this JVM
            // with its fds (jars, the JDK's modules) and /proc/PID/exe the host's java, and a
            // process of the container's pid namespace with the same capabilities could open them
            // through /proc/PID (CVE-2019-5736). runc's init does the same.
            Sys.call("make jrun non-dumpable", SyscallNr.PRCTL, Kernel.PR_SET_DUMPABLE, 0);
            idmapped = IdmappedMounts.prepare(plan);
            if (!InitLauncher.copyUpMounts(plan).isEmpty()) {
                copyUpSlots[0] = ChildLauncher.reserveSlot(arena, "a tmpcopyup destination");
                copyUpSlots[1] = ChildLauncher.reserveSlot(arena, "a tmpcopyup tmpfs");
            }
            InitProgram.Options options = new InitProgram.Options(fifoFd, new ProcessSetup.Launch(
                    request.preserveFds(), seccomp, listenerSlot, labels, consoleSlot),
                    LifecycleHooks.pauseForCreate(spec.hooks()),
                    new InitProgram.MountHandover(copyUpSlots[0], copyUpSlots[1], idmapped.trees()),
                    request.stdio());
            if (!plan.ownMountNamespace()) {
                runtimeNamespaceRootfs = RuntimeNamespaceRootfs.before(plan.rootfs());
            }
            ProcessSetup.Launched launched = InitLauncher.launch(arena, plan, spec, options, cgroup.manager(),
                    rootless, me, stops, runtimeNamespaceRootfs);
            child = launched.child();
            master = launched.consoleMaster();
            Sys.attempt(SyscallNr.CLOSE, fifoFd);
            fifoFd = -1;
            if (listenerSlot >= 0) {
                Sys.attempt(SyscallNr.CLOSE, listenerSlot);
                listenerSlot = -1;
            }
            if (consoleSlot >= 0) {
                Sys.attempt(SyscallNr.CLOSE, consoleSlot);
                consoleSlot = -1;
            }
            closeSlots(copyUpSlots);
            idmapped.close();
            if (consoleSocket >= 0) {
                int sock = consoleSocket;
                consoleSocket = -1;
                int m = master;
                master = -1;
                Console.send(sock, m);
            }

            ContainerState created = stops.created;
            if (runtimeNamespaceRootfs != null) {
                runtimeNamespaceRootfs.saveBind(store, request.id());
            }
            stops.staged.commit();
            if (request.pidFile() != null && !request.pidFile().isEmpty()) {
                PidFile.write(Path.of(request.pidFile()), child.pid());
            }
            if (!keepLock) {
                lock.close();
            }
            return new Created(created, child, arena, master, keepLock ? lock : null);
        } catch (RuntimeException | Error e) {
            if (child != null) {
                ChildLauncher.abandon(child, e);
            }
            if (fifoFd >= 0) {
                Sys.attempt(SyscallNr.CLOSE, fifoFd);
            }
            for (int f : new int[] {listenerSlot, consoleSlot, consoleSocket, master}) {
                if (f >= 0) {
                    Sys.attempt(SyscallNr.CLOSE, f);
                }
            }
            closeSlots(copyUpSlots);
            if (idmapped != null) {
                idmapped.close();
            }
            if (runtimeNamespaceRootfs != null) {
                runtimeNamespaceRootfs.undo(e);
            }
            if (cgroupCreated) {
                destroyQuietly(cgroup.manager(), e);
            }
            store.remove(lock);
            arena.close();
            throw e;
        }
    }

    /**
     * The container's part at the init's stops: its state, made while the init sets the
     * container up and only renamed into place once the set-up succeeded, and its create hooks.
     */
    private final class InitStops implements InitLauncher.Stops {
        private final Spec spec;
        private final ContainerPlan plan;
        private final ContainerState initial;
        private final CgroupManager cgroup;
        private final SeccompFilter seccomp;
        private ContainerState created;
        private StateStore.Staged staged;
        private boolean createHooksStarted;

        InitStops(Spec spec, ContainerPlan plan, ContainerState initial, CgroupManager cgroup, SeccompFilter seccomp) {
            this.spec = spec;
            this.plan = plan;
            this.initial = initial;
            this.cgroup = cgroup;
            this.seccomp = seccomp;
        }

        @Override
        public void initKnown(ChildLauncher.Child init) {
            created = created(init, spec, plan, initial, cgroup);
            staged = store.stage(created);
        }

        @Override
        public void runCreateHooks(int initPid) {
            createHooksStarted = true;
            LifecycleHooks.runForCreate(spec.hooks(), initial, initPid);
        }

        @Override
        public ListenerHandover.ContainerProcessState listenerState(int pid) {
            return new ListenerHandover.ContainerProcessState(spec.ociVersion(), pid,
                    seccomp == null ? null : seccomp.listenerMetadata(), initial.id(),
                    "creating", initial.bundle(), spec.annotations());
        }

        @Override
        public void failed(Throwable failure) {
            if (staged != null) {
                staged.discard();
                staged = null;
            }
            created = null;
            if (createHooksStarted) {
                createHooksStarted = false;
                // What the create hooks set up (a network, say) is undone by the poststop hooks,
                // as runc runs them when it destroys a container whose create failed.
                for (String warning : LifecycleHooks.runPoststop(spec.hooks(), initial)) {
                    failure.addSuppressed(new JrunException(warning));
                }
            }
        }
    }

    /** The state of the container whose init is {@code child}, once it is set up. */
    private static ContainerState created(ChildLauncher.Child child, Spec spec, ContainerPlan plan,
                                          ContainerState initial, CgroupManager cgroup) {
        ProcStat stat = ProcStat.read(child.pid());
        if (stat == null) {
            throw new JrunException("the container's init process " + child.pid() + " vanished during set-up");
        }
        return initial.withProcess(child.pid(), stat.startTime())
                .withNamespaces(namespacePaths(child.pid(), plan), plan.creates(NamespaceKind.USER),
                        plan.creates(NamespaceKind.PID))
                .withCgroups(spec.linux().cgroupsPath(), cgroup.paths())
                .withStatus(ContainerStatus.CREATED);
    }

    private static void closeSlots(int[] slots) {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] >= 0) {
                Sys.attempt(SyscallNr.CLOSE, slots[i]);
                slots[i] = -1;
            }
        }
    }

    /**
     * Removes the cgroup of a container whose create failed (killing what is left in it); a
     * failure to do so is added to the error being reported, which matters more.
     */
    private static void destroyQuietly(CgroupManager cgroup, Throwable failure) {
        try {
            cgroup.destroy();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static Map<String, String> namespacePaths(int pid, ContainerPlan plan) {
        Map<String, String> paths = new LinkedHashMap<>();
        for (NamespaceKind k : NamespaceKind.values()) {
            if (plan.creates(k)) {
                paths.put(k.specName(), "/proc/" + pid + "/ns/" + k.procName());
            }
        }
        for (ContainerPlan.NamespaceJoin j : plan.joins()) {
            paths.put(j.kind().specName(), j.path());
        }
        return paths;
    }

    /** mkfifo (mode 0622: the init may run as any user) and an O_PATH fd for the init to reopen. */
    private static int makeFifo(Path fifo, Arena arena) {
        MemorySegment path = NativeCopy.cString(arena, fifo.toString());
        long oldMask = Sys.call("umask", SyscallNr.UMASK, 0);
        try {
            Sys.call("create the exec fifo " + fifo, SyscallNr.MKNODAT, -100, path.address(), S_IFIFO | 0622, 0);
        } finally {
            Sys.attempt(SyscallNr.UMASK, oldMask);
        }
        return (int) Sys.call("open the exec fifo " + fifo, SyscallNr.OPENAT, -100, path.address(),
                010000000L /* O_PATH */ | 02000000L /* O_CLOEXEC */);
    }
}
