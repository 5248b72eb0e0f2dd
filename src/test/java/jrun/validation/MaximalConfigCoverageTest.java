package jrun.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import jrun.json.JsonValue;

/**
 * The maximal valid config must use every property our schema knows, so that "every v1.2 field
 * validates" is checked, not assumed: walks the schema (following $refs across files) and the
 * document side by side.
 */
class MaximalConfigCoverageTest {
    /** Windows-only members of POSIX structures, which a Linux config leaves out. */
    private static final Set<String> NOT_FOR_LINUX = Set.of("process.user.username");

    private final Map<String, JsonValue> files = new HashMap<>();
    private final Set<String> known = new TreeSet<>();
    private final Set<String> used = new TreeSet<>();

    private JsonValue file(String name) {
        return files.computeIfAbsent(name, n -> JsonTrees.parse(Bundles.resource("oci-schemas/" + n), n));
    }

    private record Located(String file, JsonValue schema) {}

    private Located resolve(String file, JsonValue schema) {
        while (schema.has("$ref")) {
            String ref = schema.path("$ref").asString();
            int hash = ref.indexOf('#');
            String target = hash == 0 ? file : hash < 0 ? ref : ref.substring(0, hash);
            String pointer = hash < 0 ? "" : ref.substring(hash + 1);
            JsonValue sibling = schema;
            file = target;
            schema = at(file(target), pointer);
            if (sibling.has("properties") && schema.has("properties")) {
                // $ref with sibling properties (blockIOWeightDevice): both apply
                Map<String, JsonValue> merged = new LinkedHashMap<>();
                schema.path("properties").properties().forEach(e -> merged.put(e.getKey(), e.getValue()));
                sibling.path("properties").properties().forEach(e -> merged.put(e.getKey(), e.getValue()));
                schema = JsonValue.object(Map.of("properties", JsonValue.object(merged)));
            }
        }
        return new Located(file, schema);
    }

    /** The node at JSON pointer {@code pointer} (RFC 6901), or a missing node. */
    private static JsonValue at(JsonValue document, String pointer) {
        JsonValue node = document;
        if (!pointer.isEmpty()) {
            for (String token : pointer.substring(1).split("/", -1)) {
                token = token.replace("~1", "/").replace("~0", "~");
                node = node.isArray() ? node.path(Integer.parseInt(token)) : node.path(token);
            }
        }
        return node;
    }

    private void walk(String file, JsonValue schemaNode, JsonValue value, String path, int depth) {
        if (depth > 20) {
            return;
        }
        Located s = resolve(file, schemaNode);
        JsonValue props = s.schema().path("properties");
        for (String name : props.propertyNames()) {
            String child = path.isEmpty() ? name : path + "." + name;
            known.add(child);
            if (value != null && value.has(name)) {
                used.add(child);
                walk(s.file(), props.path(name), value.path(name), child, depth + 1);
            } else {
                walk(s.file(), props.path(name), null, child, depth + 1);
            }
        }
        JsonValue items = s.schema().path("items");
        if (items.isObject()) {
            if (value != null && value.isArray() && !value.isEmpty()) {
                for (JsonValue element : value) {
                    walk(s.file(), items, element, path + "[]", depth + 1);
                }
            } else {
                walk(s.file(), items, null, path + "[]", depth + 1);
            }
        }
        JsonValue mapValues = s.schema().path("additionalProperties");
        if (mapValues.isObject()) {
            if (value != null && value.isObject() && !value.isEmpty()) {
                for (JsonValue v : value) {
                    walk(s.file(), mapValues, v, path + "{}", depth + 1);
                }
            } else {
                walk(s.file(), mapValues, null, path + "{}", depth + 1);
            }
        }
    }

    @Test
    void maximalConfigUsesEveryPropertyOfTheSchema() {
        JsonValue maximal = JsonTrees.parse(Bundles.resource("valid-configs/maximal.json"), "maximal.json");
        walk("config-schema.json", file("config-schema.json"), maximal, "", 0);
        assertTrue(known.size() > 150, "the walk should reach the whole schema, found " + known.size());
        Set<String> unused = new TreeSet<>(known);
        unused.removeAll(used);
        unused.removeAll(NOT_FOR_LINUX);
        assertEquals(Set.of(), unused, "schema properties that maximal.json does not use");
    }
}
