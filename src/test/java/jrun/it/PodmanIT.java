package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * podman (with conmon and netavark) driving jrun as it drives runc: runs
 * {@code conformance/podman/run} against the jrun under test; each of its checks becomes a test.
 */
class PodmanIT {
    @TestFactory
    Stream<DynamicTest> podmanDrivesJrun() {
        return ConformanceScript.run("conformance/podman/run", "podman", "conmon");
    }

    /**
     * Runs a conformance script of the real clients and turns its report into tests: one per
     * {@code PASS}/{@code FAIL}/{@code SKIP} line (a FAIL carries its indented details), then
     * one that the script ran to its summary and that its exit status agrees with the checks.
     */
    static final class ConformanceScript {
        /** The scripts' exit status when they cannot run here (not root, a client missing). */
        static final int SKIPPED = 77;
        static final int TIMEOUT_SECONDS = 1200;

        /** One line of a script's report: PASS, FAIL or SKIP, the check's name, a FAIL's details. */
        record Check(String outcome, String name, String details) {}

        private ConformanceScript() {}

        static Stream<DynamicTest> run(String script, String... clients) {
            return run(List.of(), script, List.of(), clients);
        }

        /**
         * Runs {@code script} with {@code options} before the runtime's path, through {@code
         * wrapper} (a command that runs a command, e.g. the cgroup v2 VM's tool; empty: none),
         * from a scratch directory that is its working directory.
         */
        static Stream<DynamicTest> run(List<String> wrapper, String script, List<String> options, String... clients) {
            requireClients(script, clients);
            Path scratch = createTempDir();
            try {
                Path runtime = runtimeExecutable(scratch);
                List<String> command = new ArrayList<>(wrapper);
                command.addAll(List.of("bash", Jrun.home().resolve(script).toString()));
                command.addAll(options);
                command.add(runtime.toString());
                Jrun.Result r = Jrun.exec(command, scratch, TIMEOUT_SECONDS);
                if (r.exit() == SKIPPED) {
                    Assumptions.abort(script + " skipped: " + r.stdout().strip());
                }
                return report(script, r).stream();
            } finally {
                deleteTree(scratch);
            }
        }

        /** Aborts (skips, saying why) when a client the script drives is not installed. */
        static void requireClients(String script, String... clients) {
            for (String client : clients) {
                Assumptions.assumeTrue(onPath(client), client + " is not installed: the checks of " + script
                        + " need it (Debian: apt-get install podman containerd docker.io)");
            }
        }

        /** The checks a script reported, in order; a FAIL's details are its indented lines. */
        static List<Check> checks(String stdout) {
            List<Check> checks = new ArrayList<>();
            List<String> lines = stdout.lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String outcome = line.length() > 5 ? line.substring(0, 4) : "";
                if (outcome.equals("PASS") || outcome.equals("SKIP") || outcome.equals("FAIL")) {
                    StringBuilder details = new StringBuilder(line.substring(5)).append('\n');
                    while (i + 1 < lines.size() && lines.get(i + 1).startsWith("    ")) {
                        details.append(lines.get(++i)).append('\n');
                    }
                    checks.add(new Check(outcome, line.substring(5), details.toString()));
                }
            }
            return checks;
        }

        /** A test that the script ran to its summary line with the exit status its checks call for. */
        static DynamicTest ranToSummary(String script, Jrun.Result r, List<Check> checks) {
            boolean failed = checks.stream().anyMatch(c -> c.outcome().equals("FAIL"));
            return DynamicTest.dynamicTest(script + " ran to its summary", () -> {
                assertTrue(r.stdout().lines().anyMatch(l -> l.matches("\\d+ passed, \\d+ failed, \\d+ skipped")),
                        script + " stopped early (exit status " + r.exit() + ")\nstdout:\n" + r.stdout()
                                + "\nstderr:\n" + r.stderr());
                assertEquals(failed ? 1 : 0, r.exit(), "exit status of " + script + "; stderr:\n" + r.stderr());
            });
        }

        private static List<DynamicTest> report(String script, Jrun.Result r) {
            List<DynamicTest> tests = new ArrayList<>();
            List<Check> checks = checks(r.stdout());
            for (Check check : checks) {
                tests.add(DynamicTest.dynamicTest(check.name(), switch (check.outcome()) {
                    case "PASS" -> () -> { };
                    case "SKIP" -> () -> Assumptions.abort(check.name());
                    default -> () -> fail(check.details());
                }));
            }
            tests.add(ranToSummary(script, r, checks));
            return tests;
        }

        /**
         * What the engines exec as the runtime: bin/jrun when testing the checkout's own build,
         * else a script that starts the jar under test with the harness's JVM flags.
         */
        private static Path runtimeExecutable(Path dir) {
            List<String> launcher = Jrun.launcher();
            if (launcher.size() == 1) {
                return Path.of(launcher.get(0));
            }
            StringBuilder script = new StringBuilder("#!/bin/sh\nexec");
            for (String word : launcher) {
                script.append(" '").append(word.replace("'", "'\\''")).append('\'');
            }
            script.append(" \"$@\"\n");
            Path wrapper = dir.resolve("jrun");
            try {
                Files.writeString(wrapper, script);
                Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return wrapper;
        }

        private static boolean onPath(String command) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                    return true;
                }
            }
            return false;
        }

        /** Searchable by all: the rootless suite's test user executes the runtime wrapper in it. */
        private static Path createTempDir() {
            try {
                return Files.createTempDirectory("jrun-clients-it",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        private static void deleteTree(Path dir) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary directory left behind is not worth failing the checks over
            }
        }
    }
}
