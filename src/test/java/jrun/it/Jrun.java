package jrun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real jrun as a separate process, as engines do: through bin/jrun when the tests run
 * against the checkout's own build, else with the same JVM flags against the jar under test.
 * Each instance has its own {@code --root}. Given another launcher (e.g. {@code /usr/sbin/runc}),
 * it drives that runtime the same way, through runc's command-line grammar.
 */
public final class Jrun {
    public record Result(int exit, String stdout, String stderr) {
        public Result ok() {
            assertEquals(0, exit, "jrun failed: " + stderr + stdout);
            return this;
        }
    }

    private final List<String> launcher;
    private final Path root;

    public Jrun(Path root) {
        this(launcher(), root);
    }

    /** A runtime started by {@code launcher} (its binary and any arguments before the global flags). */
    public Jrun(List<String> launcher, Path root) {
        this.launcher = List.copyOf(launcher);
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public static Path home() {
        return Path.of(System.getProperty("jrun.home", ".")).toAbsolutePath().normalize();
    }

    /** The command line that starts jrun, without arguments. */
    public static List<String> launcher() {
        Path jar = Path.of(System.getProperty("jrun.jar", home().resolve("target/jrun.jar").toString()));
        if (jar.toAbsolutePath().normalize().equals(home().resolve("target/jrun.jar"))
                && Files.isExecutable(home().resolve("bin/jrun"))) {
            return List.of(home().resolve("bin/jrun").toString());
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // bin/jrun's JVM flags (see the comment there on why -Xint).
        return List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xint", "-XX:+UnlockDiagnosticVMOptions",
                "-XX:GuaranteedSafepointInterval=0", "-Djava.lang.invoke.MethodHandle.CUSTOMIZE_THRESHOLD=-1", "-XX:+UseSerialGC", "-XX:-UsePerfData",
                "-Djrun.home=" + home(), "-cp", jar.toString(),
                "jrun.cli.Main");
    }

    public Result run(String... args) {
        return run(null, 120, args);
    }

    /** Runs jrun with {@code args} after {@code --root}; stdin from {@code /dev/null}. */
    public Result run(Path cwd, int timeoutSeconds, String... args) {
        return exec(command(args), cwd, timeoutSeconds);
    }

    /**
     * Runs jrun with {@code args} with its stdout and stderr in files that outlive the call: a
     * container that {@code create} leaves behind inherits them, as it inherits an engine's fifos.
     */
    public Result runInto(Path stdout, Path stderr, String... args) {
        return exec(command(args), null, 120, stdout, stderr);
    }

    /** The command line of the runtime with {@code args} after {@code --root}. */
    public List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.add("--root");
        cmd.add(root.toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    public static Result exec(List<String> cmd, Path cwd, int timeoutSeconds) {
        try {
            Path out = Files.createTempFile("jrun-out", ".txt");
            Path err = Files.createTempFile("jrun-err", ".txt");
            try {
                return exec(cmd, cwd, timeoutSeconds, out, err);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Result exec(List<String> cmd, Path cwd, int timeoutSeconds, Path out, Path err) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            if (cwd != null) {
                pb.directory(cwd.toFile());
            }
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            java.lang.Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + cmd);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
