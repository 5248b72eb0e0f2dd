package jrun.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import jrun.cli.Main;

/**
 * Every config in src/test/resources/invalid-configs is wrong in exactly one way; corpus.tsv
 * says where (JSON pointer) and part of what jrun must say about it.
 */
class InvalidConfigCorpusTest {
    record Case(String file, String pointer, String fragment) {
        @Override
        public String toString() {
            return file;
        }
    }

    static List<Case> corpus() {
        String tsv = new String(Bundles.resource("invalid-configs/corpus.tsv"), StandardCharsets.UTF_8);
        List<Case> cases = new ArrayList<>();
        for (String line : tsv.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            assertEquals(3, f.length, "corpus.tsv line needs file, pointer and fragment: " + line);
            cases.add(new Case(f[0], f[1], f[2]));
        }
        return cases;
    }

    static Stream<Case> cases() {
        return corpus().stream();
    }

    @Test
    void corpusIsLargeAndEveryFileIsListed() throws Exception {
        List<Case> cases = corpus();
        assertTrue(cases.size() >= 30, "at least 30 invalid configs, found " + cases.size());
        assertEquals(cases.size(), cases.stream().map(Case::file).distinct().count(), "a file is listed twice");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void loaderReportsExactlyTheOneProblem(Case c, @TempDir Path dir) {
        Path bundle = Bundles.withConfig(dir, Bundles.resource("invalid-configs/" + c.file()));
        ValidationReport report = ConfigLoader.validate(bundle);
        assertEquals(1, report.problems().size(), () -> "expected one problem, got:\n" + report.problems());
        Problem p = report.problems().get(0);
        assertEquals("config.json", p.file());
        assertEquals(c.pointer(), p.pointer(), () -> "pointer of " + p);
        assertTrue(p.message().contains(c.fragment()), () -> "message \"" + p.message() + "\" lacks \"" + c.fragment() + "\"");

        BundleInvalidException e = assertThrows(BundleInvalidException.class, () -> ConfigLoader.load(bundle));
        assertEquals(List.of(p), e.problems());
        assertEquals(p.toString(), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void checkCommandFailsAndPrintsTheProblem(Case c, @TempDir Path dir) {
        Path bundle = Bundles.withConfig(dir, Bundles.resource("invalid-configs/" + c.file()));
        CliRun run = CliRun.of("check", "--bundle", bundle.toString());
        assertNotEquals(0, run.exitCode(), run.stdout());
        String expectedLine = c.pointer().isEmpty() ? "config.json: " : "config.json: " + c.pointer() + ": ";
        assertTrue(run.stdout().lines().anyMatch(l -> l.startsWith(expectedLine) && l.contains(c.fragment())),
                () -> "no line \"" + expectedLine + "...\" containing \"" + c.fragment() + "\" in:\n" + run.stdout());
        assertTrue(run.stdout().contains("1 problem\n"), run.stdout());
    }

    @Test
    void tenMegabyteConfigIsRefusedWithoutReadingIt(@TempDir Path dir) throws Exception {
        // A well-formed document, so that only its size can be the reason for refusing it.
        StringBuilder big = new StringBuilder(11 << 20).append("{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"rootfs\"}, \"annotations\": {");
        for (int i = 0; big.length() < 10_000_000; i++) {
            big.append(i == 0 ? "" : ",").append("\"k").append(i).append("\": \"").append("x".repeat(100)).append('"');
        }
        big.append("}}");
        Path bundle = Bundles.withConfig(dir, big.toString());
        long size = Files.size(bundle.resolve("config.json"));
        assertTrue(size >= 10_000_000);

        long start = System.nanoTime();
        ValidationReport report = ConfigLoader.validate(bundle);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertFalse(report.valid());
        assertEquals(1, report.problems().size(), report.problems()::toString);
        String message = report.problems().get(0).toString();
        assertTrue(message.startsWith("config.json: "), message);
        assertTrue(message.contains("is " + size + " bytes, over the 4 MiB limit"), message);
        // Parsing 10 MB takes far longer than this on a cold JVM; the size check needs no reading.
        assertTrue(millis < 2000, "took " + millis + " ms");

        CliRun run = CliRun.of("check", "-b", bundle.toString());
        assertNotEquals(0, run.exitCode());
        assertTrue(run.stdout().contains("over the 4 MiB limit"), run.stdout());
    }

    @Test
    void missingBundleAndMissingConfigAreReported(@TempDir Path dir) throws Exception {
        ValidationReport noBundle = ConfigLoader.validate(dir.resolve("nope"));
        assertEquals(List.of("bundle: " + dir.resolve("nope") + " does not exist (a bundle is a directory holding "
                + "config.json and the root filesystem)"), noBundle.problems().stream().map(Problem::toString).toList());

        ValidationReport noConfig = ConfigLoader.validate(dir);
        assertEquals("config.json: not found: " + dir.resolve("config.json") + " does not exist",
                noConfig.problems().get(0).toString());
        CliRun run = CliRun.of("check", "--bundle", dir.toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.stdout().contains("host: not checked"), run.stdout());
    }

    /** Runs jrun's real command line in this JVM, capturing what it prints. */
    record CliRun(int exitCode, String stdout, String stderr) {
        static synchronized CliRun of(String... argv) {
            PrintStream oldOut = System.out;
            PrintStream oldErr = System.err;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try {
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                int code = Main.run(argv);
                return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            } finally {
                System.setOut(oldOut);
                System.setErr(oldErr);
            }
        }
    }
}
