package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jrun.linux.cgroups.CgroupHost;
import jrun.linux.cgroups.CgroupMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resource-limit checks under pure cgroup v2, on a host that is not: one boot of a small VM
 * ({@code shared/tools/cgroup2-vm}, next to the checkout: {@code ../shared} in CI) runs
 * {@link CgroupV2Suite}. Skipped, saying why, when the host is pure v2 itself ({@link
 * CgroupHostIT} then covers v2), when the tool is missing, or when the VM cannot boot. See
 * conformance/cgroup2/README.md.
 */
class CgroupV2IT {
    /** Create/delete cycles in the VM: -Djrun.cgroup.v2.cycles (the 200 by default). */
    private static final int CYCLES = Integer.getInteger("jrun.cgroup.v2.cycles", 200);
    private static final int VM_STATUS_FAILED = 125;
    private static final int TIMEOUT_SECONDS = 1800;

    @TempDir
    Path tmp;

    static Path tool() {
        String override = System.getProperty("jrun.cgroup2vm");
        return override != null ? Path.of(override) : Jrun.home().getParent().resolve("shared/tools/cgroup2-vm");
    }

    /**
     * The command that runs a conformance script in the v2 VM (2 GiB, 2 CPUs, within
     * ConformanceScript's own time limit); aborts, saying why, on a pure v2 host (where
     * {@code coveredBy} runs the checks directly) or without the tool.
     */
    static List<String> scriptWrapper(String coveredBy) {
        assumeFalse(CgroupHost.detect().mode() == CgroupMode.V2,
                "this host is pure cgroup v2: " + coveredBy + " covers v2 here");
        assumeTrue(Files.isExecutable(tool()), "no VM tool at " + tool() + ": the cgroup v2 checks cannot run on this host");
        return List.of(tool().toString(), "--mem", "2G", "--cpus", "2", "--timeout",
                Integer.toString(PodmanIT.ConformanceScript.TIMEOUT_SECONDS - 60), "--");
    }

    @Test
    void theCgroupChecksPassUnderPureCgroupV2() {
        assumeFalse(CgroupHost.detect().mode() == CgroupMode.V2,
                "this host is pure cgroup v2: CgroupHostIT runs the checks on it directly");
        runInVm("cgroup v2 suite", CgroupV2Suite.class.getName(), "-Djrun.cgroup.cycles=" + CYCLES);
    }

    /**
     * The runtime-spec suite's cgroup cases (jrun.conformance.CgroupCases: limits in v2's files,
     * device rules as eBPF, an absolute cgroupsPath) under pure v2, against bin/jrun. Those that
     * need a block device of the guest's (blkio) or expect a pids limit of 0 (a deliberate
     * difference, see SpecConformanceIT) are not among them.
     */
    @Test
    void theSpecSuitesCgroupCasesPassUnderPureCgroupV2() {
        assumeFalse(CgroupHost.detect().mode() == CgroupMode.V2,
                "this host is pure cgroup v2: SpecConformanceIT runs the cases on it directly");
        runInVm("spec suite's cgroup cases", "jrun.conformance.SpecSuite", null,
                Jrun.home().resolve("bin/jrun").toString(), "cgroup-memory", "cgroup-cpu", "cgroup-pids-limit",
                "cgroup-devices", "cgroups-path");
    }

    private void runInVm(String what, String mainClass, String property, String... args) {
        Path tool = tool();
        assumeTrue(Files.isExecutable(tool), "no VM tool at " + tool + ": the cgroup v2 checks cannot run on this host");
        List<String> cmd = new ArrayList<>(List.of(tool.toString(), "--mem", "2G", "--cpus", "2",
                "--timeout", Integer.toString(TIMEOUT_SECONDS - 60)));
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // The guest sees the host's / read-only, but a tmpfs of its own on /tmp: builds there
        // (-Djrun.buildDir=/tmp/...) are shared in explicitly.
        Set<String> shares = new LinkedHashSet<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath();
            if (p.startsWith("/tmp") && p.getNameCount() > 1) {
                shares.add(p.subpath(0, 2).toString());
            }
        }
        for (String s : shares) {
            cmd.addAll(List.of("--share", "/" + s));
        }
        cmd.add("--");
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-Xint", "-XX:+UnlockDiagnosticVMOptions",
                "-XX:GuaranteedSafepointInterval=0", "-XX:+UseSerialGC", "-Xmx512m",
                "-Djrun.home=" + Jrun.home()));
        if (property != null) {
            cmd.add(property);
        }
        cmd.addAll(List.of("-cp", classpath, mainClass));
        cmd.addAll(List.of(args));
        long start = System.nanoTime();
        Jrun.Result r = Jrun.exec(cmd, tmp, TIMEOUT_SECONDS);
        System.out.printf("%s in the VM (%.0f s):%n%s%s", what, (System.nanoTime() - start) / 1e9, r.stdout(), r.stderr());
        if (r.exit() == VM_STATUS_FAILED) {
            abort("the cgroup v2 VM could not run (" + tool + " exited 125): " + r.stderr().strip());
        }
        assertEquals(0, r.exit(), what + " failed in the VM:\n" + r.stdout() + r.stderr());
    }
}
