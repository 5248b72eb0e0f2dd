package jrun.linux.cgroups;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jrun.base.JrunException;
import jrun.spec.Resources;
import jrun.sys.Notifier;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * A container's cgroup on a pure cgroup v2 host: one directory. Its process is born in it
 * (clone3 with CLONE_INTO_CGROUP and {@link #openForClone}); the device rules are an eBPF
 * program attached to it; {@code cgroup.kill} and {@code cgroup.freeze} act on all of it.
 */
final class CgroupV2 implements CgroupManager {
    private static final long FREEZE_WAIT_NANOS = 10_000_000_000L;

    private final Path mount;
    private final Path dir;

    /**
     * @param mount the cgroup2 mount, {@code dir} being below it; null for the cgroup of an
     *              existing container, which is never created again
     */
    CgroupV2(Path mount, Path dir) {
        this.mount = mount;
        this.dir = dir;
    }

    @Override
    public CgroupMode mode() {
        return CgroupMode.V2;
    }

    @Override
    public Map<String, String> paths() {
        return Map.of("unified", dir.toString());
    }

    @Override
    public Path dir(String controller) {
        return dir;
    }

    @Override
    public void create(Resources resources, DeviceRules.Result devices, String where) {
        boolean existed = Files.isDirectory(dir);
        if (existed && !pids().isEmpty()) {
            throw new JrunException("cannot use the cgroup " + dir + " for the container: it already holds processes "
                    + pids() + " (another container's?)");
        }
        List<Path> created = CgroupFiles.mkdirs(dir);
        try {
            enableControllers();
            apply(resources, where, false);
            if (devices != null) {
                attachDeviceFilter(devices);
            }
        } catch (RuntimeException | Error e) {
            for (int i = created.size() - 1; i >= 0; i--) {
                CgroupFiles.rmdir(created.get(i));
            }
            throw e;
        }
    }

    /**
     * Every controller the root offers is enabled in the subtree of each cgroup above the
     * container's, as runc does, so the container's cgroup has them all. One at a time when
     * the whole set is refused (a parent of another manager may hold back some); a controller
     * missing in the end makes the first write of its files fail with a clear error.
     */
    private void enableControllers() {
        String offered = CgroupFiles.read(mount.resolve("cgroup.controllers"));
        if (offered == null || offered.isBlank()) {
            return;
        }
        List<String> wanted = new ArrayList<>();
        for (String c : offered.split("\\s+")) {
            wanted.add("+" + c);
        }
        Path below = mount.relativize(dir);
        Path p = mount;
        for (int i = 0; i < below.getNameCount(); p = p.resolve(below.getName(i++))) {
            if (i > 0 && hasProcesses(p)) {
                // No domain controller can be enabled there (EBUSY), and a threaded one (pids)
                // would make it a thread root, below which no cgroup can take a process
                // (EOPNOTSUPP): a rootless jrun's own cgroup, say, when the container goes below it.
                continue;
            }
            Set<String> enabled = CgroupFiles.readWords(p.resolve("cgroup.subtree_control"));
            List<String> missing = wanted.stream().filter(w -> !enabled.contains(w.substring(1))).toList();
            if (missing.isEmpty()) {
                continue;
            }
            if (CgroupFiles.writeErrno(p.resolve("cgroup.subtree_control"), String.join(" ", missing)) != 0) {
                for (String one : missing) {
                    // a failure leaves this one off; see above
                    CgroupFiles.writeErrno(p.resolve("cgroup.subtree_control"), one);
                }
            }
        }
    }

    private static boolean hasProcesses(Path cgroup) {
        String procs = CgroupFiles.read(cgroup.resolve("cgroup.procs"));
        return procs != null && !procs.isBlank();
    }

    private void apply(Resources resources, String where, boolean updating) {
        List<CgroupWrite> writes;
        try {
            writes = V2Files.writes(resources, f -> CgroupFiles.read(dir.resolve(f)), f -> Files.exists(dir.resolve(f)));
        } catch (JrunException e) {
            throw new JrunException(where + e.getMessage(), e);
        }
        if (updating) {
            MemoryCheck.beforeUpdate(resources, CgroupFiles.number(dir.resolve("memory.current")), where);
        }
        for (CgroupWrite w : writes) {
            Path file = dir.resolve(w.file());
            if (w.optional() && !Files.exists(file)) {
                continue;
            }
            CgroupFiles.write(file, w.value(), where + w.pointer());
        }
    }

    private void attachDeviceFilter(DeviceRules.Result devices) {
        int program = Bpf.loadDeviceProgram(DeviceFilter.compile(devices));
        try {
            int cgroup = openForClone();
            try {
                Bpf.attachDeviceProgram(cgroup, program);
            } finally {
                Sys.attempt(SyscallNr.CLOSE, cgroup);
            }
        } finally {
            // The attachment holds the program; the cgroup's removal frees both.
            Sys.attempt(SyscallNr.CLOSE, program);
        }
    }

    @Override
    public int openForClone() {
        return CgroupFiles.openDirectory(dir);
    }

    @Override
    public List<Path> selfJoinFiles() {
        return List.of();
    }

    @Override
    public void addProcess(int pid) {
        CgroupFiles.write(dir.resolve("cgroup.procs"), Integer.toString(pid), "moving process " + pid + " into its cgroup");
    }

    @Override
    public void update(Resources resources, String where) {
        apply(resources, where, true);
    }

    @Override
    public boolean exists() {
        return Files.isDirectory(dir);
    }

    @Override
    public List<Integer> pids() {
        return CgroupFiles.pidsBelow(dir);
    }

    @Override
    public void freeze() {
        CgroupFiles.write(dir.resolve("cgroup.freeze"), "1", "freezing the cgroup " + dir);
        long deadline = System.nanoTime() + FREEZE_WAIT_NANOS;
        while (CgroupFiles.keyValues(dir.resolve("cgroup.events")).getOrDefault("frozen", 0L) != 1) {
            if (System.nanoTime() - deadline > 0) {
                thaw();
                throw new JrunException("the processes of the cgroup " + dir + " did not freeze within 10 s");
            }
            CgroupFiles.sleep(1);
        }
    }

    @Override
    public void thaw() {
        CgroupFiles.write(dir.resolve("cgroup.freeze"), "0", "thawing the cgroup " + dir);
    }

    @Override
    public boolean isFrozen() {
        return "1".equals(CgroupFiles.read(dir.resolve("cgroup.freeze")));
    }

    @Override
    public void signalAll(int signal) {
        Path kill = dir.resolve("cgroup.kill");
        if (signal == CgroupSignals.SIGKILL && Files.exists(kill)) {
            // Atomic, reaches processes forked meanwhile and frozen ones alike (Linux 5.14).
            CgroupFiles.write(kill, "1", "killing the processes of the cgroup " + dir);
            return;
        }
        CgroupSignals.signal(this::pids, signal);
        if (signal == CgroupSignals.SIGKILL && isFrozen()) {
            thaw();
        }
    }

    @Override
    public void destroy() {
        if (!exists()) {
            return;
        }
        CgroupSignals.killUntilEmpty(this::pids, () -> signalAll(CgroupSignals.SIGKILL), "the cgroup " + dir);
        if (!CgroupFiles.removeTree(dir)) {
            throw new JrunException("cannot remove the cgroup " + dir + ": it stays busy");
        }
    }

    @Override
    public long oomKills() {
        return CgroupFiles.keyValues(dir.resolve("memory.events")).getOrDefault("oom_kill", 0L);
    }

    @Override
    public int openOomNotifier() {
        Path events = dir.resolve("memory.events");
        // The kernel notifies a change of a cgroup file's values as a modification of the file.
        return Files.exists(events) ? Notifier.inotify(events, Notifier.IN_MODIFY) : -1;
    }
}
