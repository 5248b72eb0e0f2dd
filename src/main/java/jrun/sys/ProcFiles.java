package jrun.sys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reading /proc and /sys files. They report a size of 0, so {@code Files.readString} reads them
 * a byte at a time, and an integer sysctl answers only the first read: on JDK 25 it returned "4"
 * for cap_last_cap's "41" (measured here). One large read gets the whole value.
 */
public final class ProcFiles {
    private ProcFiles() {}

    public static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
