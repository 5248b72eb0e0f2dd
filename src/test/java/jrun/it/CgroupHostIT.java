package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's resource-limit checks on this host's own cgroups (v1 controllers plus an empty
 * cgroup2 here: the v1 path), jrun started as a process per command as engines start it. The
 * same checks run under pure cgroup v2 in {@link CgroupV2IT}.
 */
class CgroupHostIT {
    /** -Djrun.cgroup.cycles: create/delete cycles of the leftover check (the 200). */
    private static final int CYCLES = Integer.getInteger("jrun.cgroup.cycles", 200);

    @TempDir
    Path tmp;

    private CgroupChecks checks;

    @BeforeEach
    void setUp() throws IOException {
        checks = new CgroupChecks(tmp, CgroupChecks.processes());
    }

    @AfterEach
    void nothingLeft() {
        try {
            assertEquals(java.util.List.of(), checks.leftoverCgroups(), "cgroups left behind");
        } finally {
            checks.close();
        }
    }

    @Test
    void anOomKilledContainerIsReportedByEventsAndStateSaysStopped() throws IOException {
        checks.oomKillIsReported();
    }

    @Test
    void eventsReportAChildsOomKillAsItHappensAndEndWithTheContainer() throws Exception {
        checks.eventsReportAChildsOomKillAsItHappens();
    }

    @Test
    void pidsLimitStopsAForkBombAtTen() throws IOException {
        checks.pidsLimitStopsAForkBomb();
    }

    @Test
    void aCpuQuotaOfTwentyPercentHoldsABusyLoop() throws IOException {
        checks.cpuQuotaHoldsABusyLoop();
    }

    @Test
    void cpusetPinsTheContainerToItsCpu() throws IOException {
        checks.cpusetPins();
    }

    @Test
    void aDeviceRuleDenyingDevNullWritesIsEnforced() throws IOException {
        checks.deviceRuleDeniesDevNullWrites();
    }

    @Test
    void updateLowersTheMemoryLimitOfARunningContainerAndItIsEnforced() throws Exception {
        checks.updateLowersTheMemoryLimit();
    }

    @Test
    void pauseFreezesTheContainerAndResumeLetsItContinue() throws IOException {
        checks.pauseFreezesAndResumeContinues();
    }

    @Test
    void theCgroupNamespaceIsRootedAtTheContainersCgroup() throws IOException {
        checks.theCgroupNamespaceIsRootedAtTheContainersCgroup();
    }

    @Test
    void withoutACgroupNamespaceTheMountShowsTheContainersOwnCgroup() throws IOException {
        checks.withoutACgroupNamespaceTheMountShowsTheContainersOwnCgroup();
    }

    @Test
    void killAllAndDeleteAfterACrashEmptyTheCgroup() throws IOException {
        checks.killAllAndDeleteAfterACrashEmptyTheCgroup();
    }

    @Test
    void invalidResourcesAreRefusedNamingTheFieldAndLeaveNothing() throws IOException {
        checks.invalidResourcesAreRefused();
    }

    /** In this JVM (bin/jrun's flags, set by failsafe): 200 JVM starts would take minutes. */
    @Test
    void createDeleteCyclesLeaveNoCgroupBehind() throws IOException {
        checks.createDeleteCyclesLeaveNoCgroup(CgroupChecks.inProcess(), CYCLES);
    }
}
