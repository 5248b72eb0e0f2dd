package jrun.linux.cgroups;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import jrun.base.JrunException;
import jrun.spec.Resources;
import jrun.sys.Notifier;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * A container's cgroup on a cgroup v1 host: one directory per hierarchy (controllers mounted
 * together share one), plus, on a hybrid host, one in the unified hierarchy. The process is
 * moved into all of them by the parent before it is released to run anything of the
 * container's ({@link #addProcess}).
 */
final class CgroupV1 implements CgroupManager {
    private static final long FREEZE_WAIT_NANOS = 10_000_000_000L;
    /** Where processes are listed: any hierarchy would do; these are nearly always mounted. */
    private static final List<String> LISTING = List.of("pids", "memory", "freezer", "cpu", "devices");

    private final Map<String, Path> dirs;
    private final Path unified;

    /**
     * @param dirs controller (or {@code name=...}) to the container's directory in its hierarchy
     * @param unified the container's directory in the unified hierarchy of a hybrid host, or null
     */
    CgroupV1(Map<String, Path> dirs, Path unified) {
        this.dirs = new TreeMap<>(dirs);
        this.unified = unified;
    }

    @Override
    public CgroupMode mode() {
        return unified == null ? CgroupMode.V1 : CgroupMode.HYBRID;
    }

    @Override
    public Map<String, String> paths() {
        Map<String, String> out = new TreeMap<>();
        dirs.forEach((k, v) -> out.put(k, v.toString()));
        if (unified != null) {
            out.put("unified", unified.toString());
        }
        return out;
    }

    @Override
    public Path dir(String controller) {
        return dirs.get(controller);
    }

    /** Each directory once, unified last. */
    private List<Path> allDirs() {
        Set<Path> all = new LinkedHashSet<>(dirs.values());
        if (unified != null) {
            all.add(unified);
        }
        return new ArrayList<>(all);
    }

    @Override
    public void create(Resources resources, DeviceRules.Result devices, String where) {
        List<Integer> already = pids();
        if (!already.isEmpty()) {
            throw new JrunException("cannot use the cgroup " + listingDir() + " for the container: it already holds "
                    + "processes " + already + " (another container's?)");
        }
        List<Path> created = new ArrayList<>();
        try {
            for (Path d : allDirs()) {
                created.addAll(CgroupFiles.mkdirs(d));
                if (d.equals(dirs.get("cpuset"))) {
                    inheritCpuset(d);
                }
            }
            List<CgroupWrite> writes = new ArrayList<>();
            if (devices != null && dirs.containsKey("devices")) {
                writes.addAll(DeviceRules.v1Writes(devices));
            }
            writes.addAll(planWrites(resources, where));
            write(writes, where);
        } catch (RuntimeException | Error e) {
            for (int i = created.size() - 1; i >= 0; i--) {
                CgroupFiles.rmdir(created.get(i));
            }
            throw e;
        }
    }

    /**
     * A new v1 cpuset starts with no CPUs and no memory nodes, and takes no process so: every
     * cgroup on the way down that has none gets its parent's, outermost first. Not only those
     * this call made: a parent another jrun has just made may not have its own yet.
     */
    private static void inheritCpuset(Path leaf) {
        List<Path> empty = new ArrayList<>();
        for (Path p = leaf; p.getParent() != null && "".equals(CgroupFiles.read(p.resolve("cpuset.cpus"))); p = p.getParent()) {
            empty.addFirst(p);
        }
        for (Path p : empty) {
            for (String f : List.of("cpuset.cpus", "cpuset.mems")) {
                String mine = CgroupFiles.read(p.resolve(f));
                String parents = CgroupFiles.read(p.getParent().resolve(f));
                if ("".equals(mine) && parents != null && !parents.isEmpty()) {
                    CgroupFiles.write(p.resolve(f), parents, "setting up the cpuset cgroup " + p);
                }
            }
        }
    }

    private List<CgroupWrite> planWrites(Resources resources, String where) {
        try {
            return V1Files.writes(resources, f -> read(f), f -> {
                Path d = dirs.get(new CgroupWrite(f, "", "").controller());
                return d != null && Files.exists(d.resolve(f));
            });
        } catch (JrunException e) {
            throw new JrunException(where + e.getMessage(), e);
        }
    }

    private String read(String file) {
        Path d = dirs.get(new CgroupWrite(file, "", "").controller());
        return d == null ? null : CgroupFiles.read(d.resolve(file));
    }

    private void write(List<CgroupWrite> writes, String where) {
        for (CgroupWrite w : writes) {
            Path d = dirs.get(w.controller());
            if (d == null) {
                throw new JrunException(where + w.pointer() + ": needs the " + w.controller()
                        + " controller, which this host does not mount");
            }
            Path file = d.resolve(w.file());
            if (w.optional() && !Files.exists(file)) {
                continue;
            }
            CgroupFiles.write(file, w.value(), where + w.pointer());
        }
    }

    /** Hybrid: the directory in the unified hierarchy; the v1 hierarchies are joined by {@link #selfJoinFiles}. */
    @Override
    public int openForClone() {
        return unified == null ? -1 : CgroupFiles.openDirectory(unified);
    }

    @Override
    public List<Path> selfJoinFiles() {
        List<Path> files = new ArrayList<>();
        for (Path d : new LinkedHashSet<>(dirs.values())) {
            files.add(d.resolve("tasks"));
        }
        return files;
    }

    @Override
    public void addProcess(int pid) {
        for (Path d : allDirs()) {
            CgroupFiles.write(d.resolve("cgroup.procs"), Integer.toString(pid), "moving process " + pid + " into its cgroup");
        }
    }

    @Override
    public void update(Resources resources, String where) {
        Path memory = dirs.get("memory");
        if (memory != null) {
            MemoryCheck.beforeUpdate(resources, CgroupFiles.number(memory.resolve("memory.usage_in_bytes")), where);
        }
        write(planWrites(resources, where), where);
    }

    @Override
    public boolean exists() {
        for (Path d : allDirs()) {
            if (Files.isDirectory(d)) {
                return true;
            }
        }
        return false;
    }

    private Path listingDir() {
        for (String c : LISTING) {
            if (dirs.containsKey(c)) {
                return dirs.get(c);
            }
        }
        return unified != null ? unified : dirs.values().iterator().next();
    }

    @Override
    public List<Integer> pids() {
        return CgroupFiles.pidsBelow(listingDir());
    }

    private Path freezer() {
        Path f = dirs.get("freezer");
        if (f == null) {
            throw new JrunException("this host does not mount the freezer controller: jrun cannot pause containers");
        }
        return f;
    }

    /**
     * Writes FROZEN until the state reads FROZEN: a task in an uninterruptible sleep holds its
     * cgroup in FREEZING, and repeating the write retries the freeze (runc does the same).
     */
    @Override
    public void freeze() {
        Path state = freezer().resolve("freezer.state");
        long deadline = System.nanoTime() + FREEZE_WAIT_NANOS;
        while (true) {
            CgroupFiles.write(state, "FROZEN", "freezing the cgroup " + state.getParent());
            if ("FROZEN".equals(CgroupFiles.read(state))) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                thaw();
                throw new JrunException("the processes of the cgroup " + state.getParent() + " did not freeze within 10 s");
            }
            CgroupFiles.sleep(1);
        }
    }

    @Override
    public void thaw() {
        Path state = freezer().resolve("freezer.state");
        CgroupFiles.write(state, "THAWED", "thawing the cgroup " + state.getParent());
    }

    @Override
    public boolean isFrozen() {
        Path f = dirs.get("freezer");
        String state = f == null ? null : CgroupFiles.read(f.resolve("freezer.state"));
        return "FROZEN".equals(state) || "FREEZING".equals(state);
    }

    /**
     * Freezes the cgroup while signalling, so no process forks past the list (runc's way), then
     * restores its state; after SIGKILL it is always thawed, for frozen processes only die once
     * thawed on v1.
     */
    @Override
    public void signalAll(int signal) {
        boolean haveFreezer = dirs.containsKey("freezer") && Files.isDirectory(dirs.get("freezer"));
        boolean wasFrozen = haveFreezer && isFrozen();
        if (haveFreezer && !wasFrozen) {
            freeze();
        }
        try {
            Path kill = unified == null ? null : unified.resolve("cgroup.kill");
            if (signal == CgroupSignals.SIGKILL && kill != null && Files.exists(kill)) {
                CgroupFiles.write(kill, "1", "killing the processes of the cgroup " + unified);
            } else {
                CgroupSignals.signal(this::pids, signal);
            }
        } finally {
            if (haveFreezer && (signal == CgroupSignals.SIGKILL || !wasFrozen)) {
                thaw();
            }
        }
    }

    @Override
    public void destroy() {
        if (!exists()) {
            return;
        }
        CgroupSignals.killUntilEmpty(this::pids, () -> signalAll(CgroupSignals.SIGKILL), "the cgroup " + listingDir());
        List<Path> busy = new ArrayList<>();
        for (Path d : allDirs()) {
            if (!CgroupFiles.removeTree(d)) {
                busy.add(d);
            }
        }
        if (!busy.isEmpty()) {
            throw new JrunException("cannot remove the cgroups " + busy + ": they stay busy");
        }
    }

    @Override
    public long oomKills() {
        Path memory = dirs.get("memory");
        return memory == null ? 0 : CgroupFiles.keyValues(memory.resolve("memory.oom_control")).getOrDefault("oom_kill", 0L);
    }

    @Override
    public int openOomNotifier() {
        Path memory = dirs.get("memory");
        if (memory == null) {
            return -1;
        }
        int eventFd = Notifier.eventFd("the OOM notices of " + memory);
        try {
            int control = CgroupFiles.openForReading(memory.resolve("memory.oom_control"));
            try {
                // The kernel takes what it needs of memory.oom_control during the write.
                CgroupFiles.write(memory.resolve("cgroup.event_control"), eventFd + " " + control,
                        "registering for the OOM notices of the cgroup " + memory);
            } finally {
                Sys.attempt(SyscallNr.CLOSE, control);
            }
            return eventFd;
        } catch (RuntimeException e) {
            Sys.attempt(SyscallNr.CLOSE, eventFd);
            throw e;
        }
    }
}
