package jrun.validation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import jrun.cli.Log;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Reads JSON documents into Jackson trees with the streaming parser. Going through
 * {@code ObjectMapper.readTree} costs some 40 ms more at start-up (databind's deserializer
 * machinery is loaded and initialised), which every container would pay.
 */
public final class JsonTrees {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Jackson appends "[Source: ...; line: L, column: C]" to some messages; we say where ourselves. */
    private static final Pattern EMBEDDED_LOCATION = Pattern.compile("\\s*\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]");

    private JsonTrees() {}

    /**
     * Reads and parses {@code file}, refusing it unread when it is larger than {@code maxBytes}.
     *
     * @param name the file's name in messages, e.g. {@code config.json}
     * @throws JsonDocumentException when the file is missing, unreadable, too large or not JSON
     */
    public static JsonNode read(Path file, String name, long maxBytes) {
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
    public static JsonNode parse(byte[] json, String name) {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), json)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new JsonDocumentException(name, "is empty; expected a JSON object");
            }
            JsonNode root = value(p, first);
            if (p.nextToken() != null) {
                TokenStreamLocation at = p.currentTokenLocation();
                throw new JsonDocumentException(name, where(at) + "unexpected content after the end of the JSON document");
            }
            return root;
        } catch (JacksonException e) {
            throw new JsonDocumentException(name, describe(e), e);
        }
    }

    /** Parses a stream, for schema documents read through networknt. */
    public static JsonNode parse(InputStream in, String name) {
        try {
            return parse(in.readAllBytes(), name);
        } catch (IOException e) {
            throw new JsonDocumentException(name, "cannot read: " + e.getMessage(), e);
        }
    }

    private static JsonNode value(JsonParser p, JsonToken token) {
        return switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                for (String name = p.nextName(); name != null; name = p.nextName()) {
                    object.set(name, value(p, p.nextToken()));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    array.add(value(p, t));
                }
                yield array;
            }
            case VALUE_STRING -> new QuotedStringNode(p.getString());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new IllegalStateException("unexpected JSON token " + token);
        };
    }

    /**
     * A string node whose {@code toString()} quotes the value itself. Jackson's implementation
     * serialises through an ObjectMapper, and building the first one costs ~100 ms; networknt
     * calls {@code toString()} on every {@code enum} value while compiling a schema.
     */
    static final class QuotedStringNode extends StringNode {
        QuotedStringNode(String value) {
            super(value);
        }

        @Override
        public String toString() {
            return Log.quote(_value);
        }
    }

    /** "line L, column C: what", in words a person can act on. */
    static String describe(JacksonException e) {
        String what = e.getOriginalMessage();
        if (what == null || what.isBlank()) {
            what = e.getClass().getSimpleName();
        }
        Matcher m = EMBEDDED_LOCATION.matcher(what);
        what = m.replaceAll(r -> " (line " + r.group(1) + ", column " + r.group(2) + ")");
        return where(e.getLocation()) + what.strip();
    }

    private static String where(TokenStreamLocation at) {
        if (at == null || at == TokenStreamLocation.NA || at.getLineNr() < 1) {
            return "";
        }
        return "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
    }
}
