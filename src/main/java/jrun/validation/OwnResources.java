package jrun.validation;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Files shipped with jrun (its schemas), named as in its jar: {@code oci-schemas/config-schema.json}.
 * Read from jrun's home directory when bin/jrun gives it ({@code -Djrun.home}), where the build
 * took them from: a plain file read, while the jar costs every create more (reading its
 * central directory and inflating, interpreted). Else from where jrun's classes were loaded
 * (its jar, or a classes directory in the tests), and last from the class path. Never through
 * {@code ClassLoader.getResource} first: for a name outside any module package the boot and
 * platform loaders search every JDK module for it.
 */
final class OwnResources {
    private static ZipFile openJar;

    private OwnResources() {}

    /**
     * The file's bytes, or null when there is no such file. Looked up in jrun's home, where
     * jrun's classes are, then on the class path (the tests add schemas of their own there).
     */
    static byte[] read(String name) throws IOException {
        String home = System.getProperty("jrun.home");
        if (home != null && !home.isEmpty()) {
            byte[] bytes = fromDirectory(Path.of(home), name);
            if (bytes != null) {
                return bytes;
            }
        }
        Path location = classesLocation();
        byte[] bytes = location == null ? null : Files.isDirectory(location) ? fromDirectory(location, name)
                : fromJar(location, name);
        if (bytes != null) {
            return bytes;
        }
        try (InputStream in = OwnResources.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    private static byte[] fromDirectory(Path directory, String name) throws IOException {
        Path file = directory.resolve(name);
        return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
    }

    private static byte[] fromJar(Path jar, String name) throws IOException {
        ZipFile zip = openJar(jar);
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            return null;
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }

    /**
     * The jar, opened once and left open (it is read-only, and jrun's process is short-lived):
     * each opening reads its whole central directory; with classes from the AOT
     * cache, the class loader has usually not opened it at all.
     */
    private static synchronized ZipFile openJar(Path jar) throws IOException {
        if (openJar == null) {
            openJar = new ZipFile(jar.toFile());
        }
        return openJar;
    }

    private static Path classesLocation() {
        CodeSource source = OwnResources.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null || !"file".equals(source.getLocation().getProtocol())) {
            return null;
        }
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
