package jrun.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import jrun.it.Jrun;

/**
 * The spec-driven conformance suite: every case, and a runner that takes the runtime to test.
 * {@code conformance/spec/run} starts {@link #main} against {@code RUNTIME} (default bin/jrun);
 * {@code SpecConformanceIT} runs the same cases against jrun in CI.
 */
public final class SpecSuite {
    private SpecSuite() {}

    /** Every case, by spec file: runtime.md, config.md, config-linux.md, runtime-linux.md. */
    public static List<SpecCase> all() {
        List<SpecCase> all = new ArrayList<>();
        all.addAll(LifecycleCases.cases());
        all.addAll(HookCases.cases());
        all.addAll(ProcessCases.cases());
        all.addAll(MountCases.cases());
        all.addAll(NamespaceCases.cases());
        all.addAll(DeviceCases.cases());
        all.addAll(CgroupCases.cases());
        all.addAll(LinuxCases.cases());
        return all;
    }

    /**
     * Runs {@code c} against the runtime started by {@code launcher} in a directory of its own
     * under {@code dir}, and cleans up after it whatever the outcome; null when it passed, else
     * why it failed.
     */
    public static String run(SpecCase c, List<String> launcher, Path dir) {
        CaseRun run;
        try {
            run = new CaseRun(dir.resolve(c.name()), launcher);
        } catch (IOException e) {
            return "cannot make the case's directory: " + e;
        }
        try {
            c.check().run(run);
            return null;
        } catch (Exception | AssertionError e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        } finally {
            run.cleanUp();
        }
    }

    /**
     * {@code SpecSuite [RUNTIME] [CASE-NAME-PREFIX...]}: prints PASS or FAIL (with the reason)
     * per case, then "N passed, M failed"; exits 1 when a case failed.
     */
    public static void main(String[] args) throws IOException {
        String runtime = args.length > 0 ? args[0] : Jrun.home().resolve("bin/jrun").toString();
        List<String> only = args.length > 1 ? List.of(args).subList(1, args.length) : List.of();
        Path dir = Files.createTempDirectory("jrun-spec-");
        int passed = 0;
        int failed = 0;
        System.out.println("runtime-spec conformance of " + runtime);
        for (SpecCase c : all()) {
            if (!only.isEmpty() && only.stream().noneMatch(c.name()::startsWith)) {
                continue;
            }
            String failure = run(c, List.of(runtime), dir);
            if (failure == null) {
                passed++;
                System.out.println("PASS " + c.name());
            } else {
                failed++;
                System.out.println("FAIL " + c.name() + ": " + oneLine(failure));
                System.out.println("     " + c.source() + ": \"" + c.quote() + "\"");
            }
            System.out.flush();
        }
        removeTree(dir);
        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }

    private static String oneLine(String s) {
        String flat = s.replace('\n', ' ').replaceAll("\\s+", " ").strip();
        return flat.length() > 400 ? flat.substring(0, 400) + "..." : flat;
    }

    private static void removeTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
