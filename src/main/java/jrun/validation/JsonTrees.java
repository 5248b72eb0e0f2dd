package jrun.validation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import jrun.json.JsonReader;
import jrun.json.JsonValue;

/**
 * Reads JSON documents (bundles' configs, process files, schemas) into {@link JsonValue} trees
 * with {@link JsonReader}, bounded in size, with messages that name the file.
 */
public final class JsonTrees {
    private JsonTrees() {}

    /**
     * Reads and parses {@code file}, refusing it unread when it is larger than {@code maxBytes}.
     *
     * @param name the file's name in messages, e.g. {@code config.json}
     * @throws JsonDocumentException when the file is missing, unreadable, too large or not JSON
     */
    public static JsonValue read(Path file, String name, long maxBytes) {
        return parse(readBounded(file, name, maxBytes), name);
    }

    /** The file's bytes, at most {@code maxBytes} of them. */
    public static byte[] readBounded(Path file, String name, long maxBytes) {
        try {
            // The size check comes first so that a huge file is refused without reading it; the
            // bounded read below still protects against FIFOs, /proc files and files that grow.
            if (Files.isRegularFile(file)) {
                long size = Files.size(file);
                if (size > maxBytes) {
                    throw tooLarge(name, file, size, maxBytes);
                }
            } else if (Files.isDirectory(file)) {
                throw new JsonDocumentException(name, file + " is a directory, not a file");
            }
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
                if (bytes.length > maxBytes) {
                    throw tooLarge(name, file, -1, maxBytes);
                }
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw new JsonDocumentException(name, "not found: " + file + " does not exist");
        } catch (AccessDeniedException e) {
            throw new JsonDocumentException(name, "cannot read " + file + ": permission denied");
        } catch (IOException e) {
            throw new JsonDocumentException(name, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static JsonDocumentException tooLarge(String name, Path file, long size, long maxBytes) {
        String actual = size >= 0 ? size + " bytes" : "more than " + maxBytes + " bytes";
        return new JsonDocumentException(name, file + " is " + actual + ", over the " + humanSize(maxBytes)
                + " limit; refusing to read it (a runtime configuration is a few kilobytes)");
    }

    static String humanSize(long bytes) {
        if (bytes >= (1L << 20) && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + "-byte";
    }

    /** Parses a whole document; content after the first JSON value is an error. */
    public static JsonValue parse(byte[] json, String name) {
        try {
            return JsonReader.read(json);
        } catch (JsonReader.SyntaxError e) {
            throw new JsonDocumentException(name, e.getMessage());
        }
    }
}
