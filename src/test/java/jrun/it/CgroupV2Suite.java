package jrun.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import jrun.linux.cgroups.CgroupHost;
import jrun.linux.cgroups.CgroupMode;

/**
 * The {@link CgroupChecks} as a program, for a machine with pure cgroup v2: {@link CgroupV2IT}
 * runs it inside a VM. One JVM runs every check with jrun's commands in-process: a JVM start
 * costs about half a minute under the VM's software emulation. Prints PASS or FAIL per check
 * and exits with the number of failures (2 when the machine is not pure cgroup v2).
 *
 * <p>System properties: {@code jrun.home} (the checkout, for the example bundle) and
 * {@code jrun.cgroup.cycles} (create/delete cycles of the leftover check).
 */
public final class CgroupV2Suite {
    @FunctionalInterface
    private interface Check {
        void run(CgroupChecks checks) throws Exception;
    }

    private CgroupV2Suite() {}

    public static void main(String[] args) throws Exception {
        CgroupMode mode = CgroupHost.detect().mode();
        if (mode != CgroupMode.V2) {
            System.out.println("cgroup v2 suite: this machine's cgroups are " + mode + ", not pure v2");
            System.exit(2);
        }
        int cycles = Integer.getInteger("jrun.cgroup.cycles", 200);
        Map<String, Check> all = new LinkedHashMap<>();
        all.put("oom kill reported", CgroupChecks::oomKillIsReported);
        all.put("pids limit stops a fork bomb", CgroupChecks::pidsLimitStopsAForkBomb);
        all.put("cpu quota holds a busy loop", CgroupChecks::cpuQuotaHoldsABusyLoop);
        all.put("cpuset pins", CgroupChecks::cpusetPins);
        all.put("device rule denies /dev/null writes (eBPF)", CgroupChecks::deviceRuleDeniesDevNullWrites);
        all.put("update lowers the memory limit", CgroupChecks::updateLowersTheMemoryLimit);
        all.put("pause freezes, resume continues", CgroupChecks::pauseFreezesAndResumeContinues);
        all.put("cgroup namespace rooted at the container's cgroup",
                CgroupChecks::theCgroupNamespaceIsRootedAtTheContainersCgroup);
        all.put("kill --all and delete after a crash empty the cgroup", CgroupChecks::killAllAndDeleteAfterACrashEmptyTheCgroup);
        all.put("invalid resources refused", CgroupChecks::invalidResourcesAreRefused);
        all.put(cycles + " create/delete cycles leave no cgroup",
                c -> c.createDeleteCyclesLeaveNoCgroup(CgroupChecks.inProcess(), cycles));
        Path dir = Files.createTempDirectory("cgroup-v2-suite");
        int failures = 0;
        int n = 0;
        for (Map.Entry<String, Check> e : all.entrySet()) {
            long start = System.nanoTime();
            try (CgroupChecks checks = new CgroupChecks(dir.resolve("check" + (++n)), CgroupChecks.inProcess())) {
                e.getValue().run(checks);
                if (!checks.leftoverCgroups().isEmpty()) {
                    throw new AssertionError("cgroups left behind: " + checks.leftoverCgroups());
                }
                System.out.printf("PASS %s (%.1f s)%n", e.getKey(), (System.nanoTime() - start) / 1e9);
            } catch (Throwable t) {
                failures++;
                System.out.printf("FAIL %s (%.1f s): %s%n", e.getKey(), (System.nanoTime() - start) / 1e9, t);
                t.printStackTrace(System.out);
            }
            System.out.flush();
        }
        System.out.println("cgroup v2 suite: " + (all.size() - failures) + " of " + all.size() + " checks passed");
        System.exit(failures);
    }
}
