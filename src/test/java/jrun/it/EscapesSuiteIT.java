package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import jrun.sys.Arch;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The escape regression tests, {@code conformance/escapes/run}: one named test per class of
 * attack (README.md there). Against jrun each must PASS: the non-destructive ones here, the
 * destructive ones ({@code --vm}) in one boot of the cgroup v2 VM, whose / is a throwaway
 * overlay. Against runc 1.1.5 the tests of the classes it is known vulnerable to must FAIL:
 * that is the evidence that they catch the attack, so a test that silently stops catching
 * fails here. The tests of classes no runtime here is vulnerable to are shown catching their
 * attack against mutants of jrun instead ({@code conformance/escapes/mutants/run}).
 */
class EscapesSuiteIT {
    private static final String SCRIPT = "conformance/escapes/run";
    private static final String MUTANTS = "conformance/escapes/mutants";
    private static final String[] CLIENTS = {"runc", "jq", "gcc"};
    private static final Path RUNC = Path.of("/usr/sbin/runc");
    /**
     * What Debian's runc 1.1.5+ds1-1+deb12u1 lets through (conformance/escapes/README.md:
     * CVE-2024-21626 is patched there; CVE-2025-31133, -52565 and -52881's /proc writes are
     * fixed only in 1.2.8; issue 16 items 2, 4 and 6 in none).
     */
    private static final Set<String> RUNC_1_1_5_VULNERABLE = Set.of("cve-2019-16884", "cve-2025-31133",
            "cve-2025-52565", "host-device-read", "preserve-fds", "runtime-argv-environ-mem");

    @TestFactory
    Stream<DynamicTest> jrunResistsEveryEscape() {
        assumeTrue(Arch.current() == Arch.X86_64, "the probe's system call numbers are x86_64's");
        return PodmanIT.ConformanceScript.run(List.of(), SCRIPT, List.of("--runtime"), CLIENTS);
    }

    @TestFactory
    Stream<DynamicTest> jrunResistsTheDestructiveEscapesInTheVm() {
        assumeTrue(Arch.current() == Arch.X86_64, "the probe's system call numbers are x86_64's");
        assumeTrue(Files.isExecutable(CgroupV2IT.tool()),
                "no VM tool at " + CgroupV2IT.tool() + ": the destructive escape tests run only there");
        return PodmanIT.ConformanceScript.run(List.of(), SCRIPT, List.of("--vm", "--runtime"), CLIENTS);
    }

    @Test
    void theTestsCatchWhatRunc115IsVulnerableTo() {
        assumeTrue(Arch.current() == Arch.X86_64, "the probe's system call numbers are x86_64's");
        assumeTrue(Files.isExecutable(RUNC), "runc is not installed");
        PodmanIT.ConformanceScript.requireClients(SCRIPT, CLIENTS);
        String version = Jrun.exec(List.of(RUNC.toString(), "--version"), null, 30).stdout();
        assumeTrue(version.contains("1.1.5"), "the known-vulnerable set is runc 1.1.5's: " + version);
        List<String> command = new ArrayList<>(List.of("bash", Jrun.home().resolve(SCRIPT).toString(), "--runtime",
                RUNC.toString()));
        Jrun.Result r = Jrun.exec(command, null, PodmanIT.ConformanceScript.TIMEOUT_SECONDS);
        Set<String> failed = new TreeSet<>();
        for (PodmanIT.ConformanceScript.Check check : PodmanIT.ConformanceScript.checks(r.stdout())) {
            // "NAME: cleanup: ..." is the runner's own report on leftovers, not the attack's verdict
            if (check.outcome().equals("FAIL") && !check.name().contains(": cleanup:")) {
                failed.add(check.name().substring(0, check.name().indexOf(':')));
            }
        }
        assertTrue(r.stdout().lines().anyMatch(l -> l.matches("\\d+ passed, \\d+ failed, \\d+ skipped")),
                "the run stopped early:\n" + r.stdout() + r.stderr());
        Set<String> missed = new TreeSet<>(RUNC_1_1_5_VULNERABLE);
        missed.removeAll(failed);
        assertEquals(Set.of(), missed, "tests that no longer catch runc 1.1.5's escape:\n" + r.stdout());
    }

    /**
     * Each mutant of jrun in {@code conformance/escapes/mutants} (a patch that takes out the
     * defences a runtime lacked when it had the hole) is built from HEAD and attacked by its
     * test, which must FAIL: CAUGHT. A patch that no longer applies or builds counts as missed.
     */
    @Test
    void theMutantsAreCaught() throws Exception {
        assumeTrue(Arch.current() == Arch.X86_64, "the probe's system call numbers are x86_64's");
        PodmanIT.ConformanceScript.requireClients(SCRIPT, CLIENTS);
        Path dir = Jrun.home().resolve(MUTANTS);
        Jrun.Result r = Jrun.exec(List.of("bash", dir.resolve("run").toString()), null,
                PodmanIT.ConformanceScript.TIMEOUT_SECONDS);
        assumeTrue(r.exit() != PodmanIT.ConformanceScript.SKIPPED, "the mutants were not tried:\n" + r.stdout());
        assertEquals(0, r.exit(), "a mutant was missed:\n" + r.stdout() + r.stderr());
        try (Stream<Path> patches = Files.list(dir)) {
            for (Path patch : patches.filter(p -> p.toString().endsWith(".patch")).toList()) {
                String name = patch.getFileName().toString().replace(".patch", "");
                assertTrue(r.stdout().lines().anyMatch(l -> l.startsWith("CAUGHT " + name + " ")
                        || l.startsWith("CAUGHT " + name + ":")), name + " not caught:\n" + r.stdout());
            }
        }
    }
}
