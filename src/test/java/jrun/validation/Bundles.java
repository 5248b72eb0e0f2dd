package jrun.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** Test bundles: a directory with config.json and an empty rootfs. */
final class Bundles {
    private Bundles() {}

    static Path withConfig(Path dir, byte[] config) {
        try {
            Files.createDirectories(dir.resolve("rootfs"));
            Files.write(dir.resolve("config.json"), config);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path withConfig(Path dir, String config) {
        return withConfig(dir, config.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static byte[] resource(String name) {
        try (InputStream in = Bundles.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code runc spec [args]} in {@code dir}; skips the test (visibly) when runc is absent. */
    static Path runcSpec(Path dir, String... args) throws IOException, InterruptedException {
        String runc = null;
        for (String candidate : new String[] {"/usr/sbin/runc", "/usr/bin/runc", "/usr/local/sbin/runc", "/usr/local/bin/runc"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                runc = candidate;
                break;
            }
        }
        Assumptions.assumeTrue(runc != null, "runc is not installed: cannot generate its default config");
        String[] command = new String[args.length + 2];
        command[0] = runc;
        command[1] = "spec";
        System.arraycopy(args, 0, command, 2, args.length);
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("runc spec failed: " + output);
        }
        Files.createDirectories(dir.resolve("rootfs"));
        return dir;
    }
}
