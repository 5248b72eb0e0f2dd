package jrun.linux.seccomp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * conformance/escapes/probe.c, built once (statically, so it runs in a busybox rootfs) and
 * cached under /tmp by the hash of its source: the container side of the hardening tests.
 */
public final class SyscallProbe {
    private static Path built;

    private SyscallProbe() {}

    /** Copies the probe to {@code /bin/probe} of {@code rootfs}. */
    public static void installInto(Path rootfs) {
        try {
            Files.copy(binary(), rootfs.resolve("bin/probe"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public static synchronized Path binary() {
        if (built != null) {
            return built;
        }
        Path home = Path.of(System.getProperty("jrun.home", ".")).toAbsolutePath().normalize();
        Path source = home.resolve("conformance/escapes/probe.c");
        try {
            byte[] code = Files.readAllBytes(source);
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(code)).substring(0, 16);
            Path out = Path.of(System.getProperty("java.io.tmpdir"), "jrun-probe-" + hash);
            if (!Files.isExecutable(out)) {
                Path tmp = Path.of(out + "." + ProcessHandle.current().pid());
                Process gcc = new ProcessBuilder("gcc", "-static", "-O2", "-o", tmp.toString(), source.toString())
                        .redirectErrorStream(true).start();
                String log = new String(gcc.getInputStream().readAllBytes());
                if (!gcc.waitFor(120, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
                    throw new AssertionError("building the probe needs gcc and a static libc (libc6-dev): " + log);
                }
                Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            built = out;
            return out;
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
