package jrun.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import jrun.it.PodmanIT.ConformanceScript;
import jrun.it.PodmanIT.ConformanceScript.Check;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * jrun's containerd shim (bin/containerd-shim-jrun-v2, runtime io.containerd.jrun.v2) against
 * containerd's own runc shim: runs {@code conformance/containerd-shim/run} with each, and turns
 * every check of jrun's run into a test, which fails when jrun's shim fails a check that runc's
 * shim passes. A check both fail is reported as aborted, with both failures, not hidden: the
 * suite then asks more than containerd's own shim gives on this host. On a host that is not pure
 * cgroup v2 the suite's v2 part also runs, with both shims, in the cgroup v2 VM.
 */
class ShimIT {
    private static final String SCRIPT = "conformance/containerd-shim/run";
    private static final String REFERENCE = "io.containerd.runc.v2";
    private static final String UNDER_TEST = "io.containerd.jrun.v2";

    @TestFactory
    Stream<DynamicTest> jrunShimPassesWhatRuncShimPasses() {
        return compareShims(List.of(), List.of());
    }

    /**
     * The suite's {@code --v2-part} (run, exec, ps, pause/resume, metrics against runc's shim,
     * Update, OOM kills and their events, leftovers) under pure cgroup v2, in the VM of
     * {@code shared/tools/cgroup2-vm} (see {@link CgroupV2IT}), one boot per shim: in the
     * emulated VM each shim's JVM takes long to start, so only that part.
     */
    @TestFactory
    Stream<DynamicTest> jrunShimPassesWhatRuncShimPassesUnderPureCgroupV2() {
        return compareShims(CgroupV2IT.scriptWrapper("jrunShimPassesWhatRuncShimPasses"), List.of("--v2-part"));
    }

    /** Runs the suite with runc's shim, then jrun's, each through {@code wrapper} with {@code options}. */
    private static Stream<DynamicTest> compareShims(List<String> wrapper, List<String> options) {
        ConformanceScript.requireClients(SCRIPT, "containerd", "ctr", "containerd-shim-runc-v2");
        Jrun.Result reference = runSuite(wrapper, options, REFERENCE);
        Jrun.Result underTest = runSuite(wrapper, options, UNDER_TEST);
        Map<String, Check> runc = byName(ConformanceScript.checks(reference.stdout()));
        List<Check> jrun = ConformanceScript.checks(underTest.stdout());

        List<DynamicTest> tests = new ArrayList<>();
        Set<String> reached = new HashSet<>();
        for (Check check : jrun) {
            reached.add(check.name());
            tests.add(DynamicTest.dynamicTest(check.name(), () -> compare(check, runc.get(check.name()))));
        }
        for (Check check : runc.values()) {
            if (!reached.contains(check.name()) && check.outcome().equals("PASS")) {
                tests.add(DynamicTest.dynamicTest(check.name(), () -> fail(
                        "runc's shim passes this check; the run with jrun's shim never reached it:\n"
                                + underTest.stdout() + "\nstderr:\n" + underTest.stderr())));
            }
        }
        tests.add(ConformanceScript.ranToSummary(SCRIPT + " " + REFERENCE, reference,
                ConformanceScript.checks(reference.stdout())));
        tests.add(ConformanceScript.ranToSummary(SCRIPT + " " + UNDER_TEST, underTest, jrun));
        return tests.stream();
    }

    private static void compare(Check jrun, Check runc) {
        String runcSays = runc == null ? "runc's shim did not reach this check"
                : "runc's shim: " + runc.outcome() + (runc.outcome().equals("FAIL") ? "\n" + runc.details() : "");
        switch (jrun.outcome()) {
            case "PASS" -> { }
            case "SKIP" -> Assumptions.abort(jrun.name() + " (" + runcSays + ")");
            default -> {
                if (runc != null && runc.outcome().equals("FAIL")) {
                    Assumptions.abort("fails with both shims; jrun's shim:\n" + jrun.details() + runcSays);
                }
                fail("jrun's shim fails where " + runcSays + "\njrun's shim:\n" + jrun.details());
            }
        }
    }

    private static Map<String, Check> byName(List<Check> checks) {
        Map<String, Check> byName = new LinkedHashMap<>();
        for (Check check : checks) {
            byName.putIfAbsent(check.name(), check);
        }
        return byName;
    }

    private static Jrun.Result runSuite(List<String> wrapper, List<String> options, String runtime) {
        Path script = Jrun.home().resolve(SCRIPT);
        Path scratch;
        try {
            scratch = Files.createTempDirectory("jrun-shim-it");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of("bash", script.toString()));
        command.addAll(options);
        command.add(runtime);
        Jrun.Result r = Jrun.exec(command, scratch, ConformanceScript.TIMEOUT_SECONDS);
        scratch.toFile().delete();
        if (r.exit() == ConformanceScript.SKIPPED) {
            Assumptions.abort(SCRIPT + " " + runtime + " skipped: " + r.stdout().strip());
        }
        return r;
    }
}
