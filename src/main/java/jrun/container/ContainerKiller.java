package jrun.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jrun.base.JrunException;
import jrun.linux.cgroups.Cgroups;
import jrun.process.Pidfd;
import jrun.state.ContainerState;
import jrun.state.ContainerStatus;
import jrun.state.ProcStat;
import jrun.state.StateStore;
import jrun.sys.ProcFiles;

/**
 * {@code kill}: signals through pidfds. {@code --all} signals every process of the container:
 * those of its cgroup, or, for a container without one, those in its pid namespace.
 */
public final class ContainerKiller {
    private final StateStore store;
    private final StatusProbe probe = StatusProbe.system();

    public ContainerKiller(StateStore store) {
        this.store = store;
    }

    public void kill(String id, int signal, boolean all) {
        ContainerState state = store.load(id);
        ContainerStatus status = probe.status(state, store.containerDir(id));
        if (all) {
            var cgroup = Cgroups.of(state.cgroupPaths()).filter(c -> c.exists());
            if (cgroup.isPresent()) {
                // Every process of the cgroup, as runc does, even once the init is gone (a
                // container without a pid namespace of its own outlives its init).
                cgroup.get().signalAll(signal);
                return;
            }
        }
        Lifecycle.check(Lifecycle.Verb.KILL, status, id);
        if (all) {
            for (Pidfd p : processesOf(state)) {
                try (p) {
                    p.signal(signal);
                }
            }
            return;
        }
        Pidfd init = Pidfd.ofInit(state);
        if (init == null) {
            throw new JrunException("container not running");
        }
        try (init) {
            if (!init.signal(signal)) {
                throw new JrunException("container not running");
            }
        }
    }

    /** The init and, with a pid namespace of its own, every process in that namespace. */
    static List<Pidfd> processesOf(ContainerState state) {
        List<Pidfd> out = new ArrayList<>();
        for (int pid : pidsOf(state)) {
            Pidfd fd;
            if (pid == state.pid()) {
                fd = Pidfd.ofInit(state);
            } else {
                ProcStat stat = ProcStat.read(pid);
                fd = stat == null ? null : Pidfd.of(pid, stat.startTime());
            }
            if (fd != null) {
                out.add(fd);
            }
        }
        return out;
    }

    /**
     * The pids of a container's processes found without its cgroup (a rootless container may
     * have none): with a pid namespace of its own, every process in it, else the init alone;
     * the init last.
     */
    public static List<Integer> pidsOf(ContainerState state) {
        List<Integer> out = new ArrayList<>();
        String pidNs = state.pidNamespace() ? nsLink(state.pid(), "pid") : null;
        if (pidNs != null) {
            try {
                for (int pid : ProcFiles.pidsInNamespace(pidNs)) {
                    if (pid != state.pid()) {
                        out.add(pid);
                    }
                }
            } catch (IOException e) {
                throw new JrunException("cannot list the container's processes: " + e.getMessage(), e);
            }
        }
        out.add(state.pid());
        return out;
    }

    private static String nsLink(int pid, String ns) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "ns", ns)).toString();
        } catch (IOException e) {
            return null;
        }
    }
}
