package jrun.json;

import java.nio.charset.StandardCharsets;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Between Jackson's trees, which tests build and jrun's writers produce, and {@link JsonValue},
 * which jrun reads configs into. Both ways go through JSON text, so neither depends on how the
 * other tree is built.
 */
public final class Jackson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Jackson() {}

    /** The same document as a {@link JsonValue}, as jrun's reader makes it of {@code node}'s text. */
    public static JsonValue toJsonValue(JsonNode node) {
        try {
            return JsonReader.read(node.toString().getBytes(StandardCharsets.UTF_8));
        } catch (JsonReader.SyntaxError e) {
            throw new IllegalArgumentException("Jackson wrote JSON that jrun cannot read: " + e.getMessage(), e);
        }
    }

    /** The same document as a Jackson tree, as Jackson's own parser makes it of {@code value}'s text. */
    public static JsonNode toJsonNode(JsonValue value) {
        return JSON.readTree(value.toString());
    }
}
