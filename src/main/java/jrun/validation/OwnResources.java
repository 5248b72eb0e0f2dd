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
 * Files shipped with jrun's classes (its jar, or a classes directory in the tests), read from
 * where those classes were loaded. Not through {@code ClassLoader.getResource}: for a name outside
 * any module package the boot and platform loaders first search every JDK module for it, ~2 ms
 * per name in jrun's interpreted JVM (measured), before the application loader looks in the jar.
 */
final class OwnResources {
    private static ZipFile openJar;

    private OwnResources() {}

    /**
     * The file's bytes, or null when there is no such file. Looked up where jrun's classes are,
     * then on the class path (the tests add schemas of their own there).
     */
    static byte[] read(String name) throws IOException {
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
     * each opening reads its whole central directory, ~2 ms interpreted; with classes from the AOT
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
