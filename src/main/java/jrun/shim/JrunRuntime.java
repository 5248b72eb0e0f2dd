package jrun.shim;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jrun.base.JrunException;
import jrun.base.Log;
import jrun.container.ContainerCreator;
import jrun.container.ContainerDeleter;
import jrun.container.ContainerExecutor;
import jrun.container.ContainerKiller;
import jrun.container.ContainerPauser;
import jrun.container.ContainerProcesses;
import jrun.container.ContainerResumer;
import jrun.container.ContainerStarter;
import jrun.container.ContainerUpdater;
import jrun.container.SavedConfig;
import jrun.json.JsonValue;
import jrun.linux.cgroups.CgroupManager;
import jrun.linux.cgroups.CgroupStats;
import jrun.linux.cgroups.Cgroups;
import jrun.process.ChildLauncher;
import jrun.process.Pidfd;
import jrun.process.ReachableChildException;
import jrun.spec.ProcessSpec;
import jrun.spec.Resources;
import jrun.spec.Spec;
import jrun.spec.SpecReader;
import jrun.state.ContainerState;
import jrun.state.ContainerStatus;
import jrun.state.StateStore;
import jrun.rootless.RootlessMode;
import jrun.sys.Identity;
import jrun.container.StatusProbe;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;
import jrun.validation.JsonTrees;

/**
 * The shim's one door into jrun's verbs, in-process (the same classes as the CLI's commands,
 * with the same state directory format under the shim's root, so {@code jrun --root} lists and
 * inspects the shim's containers). Kept thin so that moving to the verb classes of
 * {@code jrun.container} changes only this file. One exception to in-process: an init or exec'd
 * process that a process of its container could read before its execve is forked by a fresh
 * {@code jrun} ({@link JrunCommand}), as this JVM's heap holds the group's other containers'
 * configs; the process is adopted the same way.
 */
final class JrunRuntime {
    /** A process the shim now owns: its pidfd and its terminal's master (-1 without one) are the shim's to close. */
    record Started(int pid, int pidfd, int consoleMaster) {}

    /**
     * A created container, with what the shim keeps of its state (taken from the create, not
     * read back from the state directory and saved config: both parses cost a create of the
     * interpreted shim milliseconds).
     *
     * @param ownPidNamespace whether the container has a pid namespace of its own, whose
     *        processes the kernel kills with its init; without one (the host's, or another's
     *        joined) the shim kills what is left in the cgroup when the init exits, as runc's
     *        shim does (ShouldKillAllOnExit)
     * @param cgroupPaths the container's cgroup directories, by hierarchy
     */
    record Created(Started init, boolean ownPidNamespace, Map<String, String> cgroupPaths) {}

    /**
     * Forks are serialized: each fork copies this JVM, and although the child touches nothing
     * shared (README, "Design: how a JVM becomes a container"), jrun's own fork path (the warm-up, the per-thread errno capture the
     * child reads, the reserved fd slots) has only ever run one at a time per JVM.
     */
    private static final Object FORK = new Object();
    /** The init's pid, in the bundle, as runc's shim keeps it (its delete reads it back). */
    static final String INIT_PID_FILE = "init.pid";

    private final StateStore store;
    private final Log log;
    /** runc's auto rule, as the shim passes no --rootless: the shim's user and namespace never change. */
    private final RootlessMode rootless;

    JrunRuntime(Path root, Log log) {
        this.store = new StateStore(root);
        this.log = log;
        this.rootless = RootlessMode.of(null, Identity.current());
    }

    StateStore store() {
        return store;
    }

    /** Links the FFM downcalls and warms the fork path once, before the first request needs it. */
    static void warmUp() {
        ChildLauncher.warmUpInBackground();
    }

    /**
     * {@code create}: the init set up and waiting for {@link #start}; {@code stdio} becomes its fds
     * 0-2 (ignored with a terminal, whose master comes back).
     */
    Created create(String id, Path bundle, int[] stdio, boolean terminal) {
        String pidFile = bundle.resolve(INIT_PID_FILE).toString();
        synchronized (FORK) {
            try (ContainerCreator.Created created = new ContainerCreator(store, log::warn, rootless).createUnlessReachable(
                    new ContainerCreator.Request(id, bundle, pidFile, false, false, 0, null, !terminal,
                            terminal ? new int[0] : stdio))) {
                ContainerState state = created.state();
                return new Created(new Started(state.pid(), Sys.dup("keep the init's pidfd", created.child().pidfd()),
                        created.consoleMaster()), state.pidNamespace(), state.cgroupPaths());
            } catch (ReachableChildException e) {
                // a copy of this JVM would show the group's other containers: a fresh jrun forks it
            }
        }
        int master = new JrunCommand(store.root()).create(id, bundle, pidFile, stdio, terminal);
        try {
            ContainerState state = store.load(id);
            Pidfd init = Pidfd.ofInit(state);
            if (init == null) {
                throw new JrunException("the init of container " + id + " is gone");
            }
            return new Created(new Started(state.pid(), init.fd(), master), state.pidNamespace(), state.cgroupPaths());
        } catch (RuntimeException e) {
            if (master >= 0) {
                Sys.attempt(SyscallNr.CLOSE, master);
            }
            try {
                ContainerDeleter.standard(store, log::warn).delete(id, true);
            } catch (Exception leftover) {
                e.addSuppressed(leftover);
            }
            throw e;
        }
    }

    void start(String id) {
        new ContainerStarter(store, StatusProbe.system()).start(id);
    }

    /** {@code exec} of a process given as the runtime-spec's JSON (containerd's Any of specs.Process). */
    Started exec(String id, String execId, byte[] processJson, int[] stdio) {
        ContainerState state = store.load(id);
        Spec spec = SavedConfig.load(store.containerDir(id), Path.of(state.bundle()));
        String origin = "exec " + execId + "'s process";
        ProcessSpec process = SpecReader.readProcess(JsonTrees.parse(processJson, origin), origin);
        ContainerExecutor.Request request = new ContainerExecutor.Request(id, process, origin, spec.linux(),
                null, false, null, 0, false,
                process.terminal() ? new int[0] : stdio);
        synchronized (FORK) {
            try {
                ContainerExecutor.Running running = new ContainerExecutor(store).start(request, true);
                return new Started(running.pid(), running.pidfd(), running.consoleMaster());
            } catch (ReachableChildException e) {
                // a copy of this JVM would show the group's other containers: a fresh jrun forks it
            }
        }
        return new JrunCommand(store.root()).exec(id, processJson, origin, stdio, process.terminal());
    }

    void kill(String id, int signal, boolean all) {
        new ContainerKiller(store).kill(id, signal, all);
    }

    void delete(String id, boolean force) throws Exception {
        ContainerDeleter.standard(store, log::warn).delete(id, force);
    }

    void pause(String id, boolean freeze) {
        if (freeze) {
            new ContainerPauser(store).pause(id);
        } else {
            new ContainerResumer(store).resume(id);
        }
    }

    ContainerStatus status(String id) {
        ContainerState state = store.load(id);
        return StatusProbe.system().status(state, store.containerDir(id));
    }

    /** Update: new limits, given as containerd gives them (the runtime-spec's LinuxResources as JSON). */
    void update(String id, byte[] resourcesJson) {
        String where = "UpdateTaskRequest.resources";
        Resources resources = SpecReader.readResources(JsonTrees.parse(resourcesJson, where), where);
        new ContainerUpdater(store).update(id, resources, where + ": ");
    }

    /** The container's cgroup, or null once it is gone. */
    CgroupManager cgroup(String id) {
        return cgroup(store.load(id).cgroupPaths());
    }

    /** The cgroup at {@code cgroupPaths} (a container's, by hierarchy), or null once it is gone. */
    static CgroupManager cgroup(Map<String, String> cgroupPaths) {
        return Cgroups.of(cgroupPaths).filter(c -> c.exists()).orElse(null);
    }

    /** Stats: the container's cgroup metrics as containerd's Any (type URL, Metrics message). */
    ContainerMetrics.Encoded stats(String id) {
        CgroupManager cgroup = cgroup(id);
        if (cgroup == null) {
            throw new JrunException("container " + id + " has no cgroup: it is not running");
        }
        return new ContainerMetrics.Encoded(ContainerMetrics.typeUrl(cgroup.mode()),
                ContainerMetrics.of(CgroupStats.of(cgroup), cgroup.mode()));
    }

    /** The pids in the container's cgroup. */
    List<Integer> pids(String id) {
        return new ContainerProcesses(store).pids(id);
    }

    /** The spec's annotations of a bundle, for the shim's grouping. */
    static JsonValue annotations(Path bundle) {
        return JsonTrees.read(bundle.resolve("config.json"), "config.json", 4 << 20).get("annotations");
    }
}
