package jrun.linux.cgroups;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jrun.spec.Resources;

/**
 * A rootless container's cgroup where the user may create none (cgroup v1, or a v2 tree not
 * delegated to it) and the config asks for no limits: the container stays in jrun's caller's
 * cgroups, as runc's rootless containers do. Its state saves no cgroup paths, so later commands
 * find no cgroup ({@link Cgroups#of} is empty).
 */
final class NoCgroup implements CgroupManager {
    static final NoCgroup INSTANCE = new NoCgroup();

    private NoCgroup() {}

    @Override public CgroupMode mode() { return CgroupMode.V1; }
    @Override public Map<String, String> paths() { return Map.of(); }
    @Override public Path dir(String controller) { return null; }
    @Override public void create(Resources resources, DeviceRules.Result devices, String where) {}
    @Override public int openForClone() { return -1; }
    @Override public List<Path> selfJoinFiles() { return List.of(); }
    @Override public void addProcess(int pid) {}
    @Override public void update(Resources resources, String where) {}
    @Override public boolean exists() { return false; }
    @Override public List<Integer> pids() { return List.of(); }
    @Override public void freeze() {}
    @Override public void thaw() {}
    @Override public boolean isFrozen() { return false; }
    @Override public void signalAll(int signal) {}
    @Override public void destroy() {}
    @Override public long oomKills() { return 0; }
    @Override public int openOomNotifier() { return -1; }
}
