package jrun.validation;

import static jrun.json.Jackson.toJsonNode;
import static jrun.json.Jackson.toJsonValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.dialect.BasicDialectRegistry;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.NodePath;
import com.networknt.schema.path.PathType;

import jrun.json.JsonValue;
import jrun.spec.DefaultSpec;
import jrun.spec.FullConfig;
import jrun.spec.SpecWriter;

/**
 * jrun's own schema interpreter: every schema loads, the keywords it implements behave as JSON
 * Schema says, and on every document the tests know it agrees with networknt's
 * json-schema-validator (the validator jrun used before), configured as jrun configured it.
 */
class SchemaValidatorTest {
    /** The OCI schemas every jar carries (the old OciSchemasTest's list). */
    private static final Set<String> OCI_SCHEMAS = Set.of("config-schema.json", "defs.json", "defs-linux.json",
            "config-linux.json", "state-schema.json");

    // ---- loading ----

    static Stream<String> schemaFiles() throws IOException {
        Path dir = Path.of(System.getProperty("jrun.home", "."), "oci-schemas");
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".json")).sorted().toList().stream();
        }
    }

    @Test
    void schemaDirectoryHoldsTheOciSchemas() throws IOException {
        assertEquals(new TreeSet<>(OCI_SCHEMAS), schemaFiles().collect(Collectors.toCollection(TreeSet::new)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaFiles")
    void everySchemaFileLoadsFromTheClassPath(String file) {
        // The jar carries the schemas: validation must not depend on the working directory.
        assertNotNull(SchemaValidator.class.getResource("/oci-schemas/" + file), file);
        SchemaValidator.requireSupported(file); // uses no keyword that SchemaValidator does not implement
        JsonValue schema = SchemaValidator.document(file);
        assertTrue(schema.isObject(), file);
        assertSame(schema, SchemaValidator.document(file), "read once per JVM");
    }

    @Test
    void unsupportedKeywordsAreRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SchemaValidator.requireSupported("test-unsupported.json"));
        assertEquals("oci-schemas/test-unsupported.json: /properties/a/items/oneOf: keyword oneOf is not supported by "
                + "jrun's schema validator", e.getMessage());
        // networknt does know oneOf: the document itself is a valid schema.
        assertEquals(List.of(), Networknt.validate("test-unsupported.json", parse("{\"a\": [\"x\", 1]}"), "t.json"));
    }

    // ---- keywords ----

    private static JsonValue parse(String json) {
        return JsonTrees.parse(json.getBytes(StandardCharsets.UTF_8), "test.json");
    }

    /** The problems of {@code json} under oci-schemas/{@code schema}, after checking that networknt agrees. */
    private static List<String> problems(String schema, String json) {
        JsonValue tree = parse(json);
        List<Problem> ours = SchemaValidator.validate(schema, tree, "t.json");
        assertAgreement(json, ours, Networknt.validate(schema, tree, "t.json"));
        return ours.stream().map(Problem::toString).toList();
    }

    @Test
    void validDocumentHasNoProblems() {
        // the test schemas too use only what SchemaValidator implements, or these tests would prove little
        SchemaValidator.requireSupported("test-keywords.json");
        SchemaValidator.requireSupported("test-defs.json");
        assertEquals(List.of(), problems("test-keywords.json", """
                {"id": "abc", "size": 18446744073709551615, "wide": -18446744073709551616, "port": 65535,
                 "labels": {"a": "b"}, "fixed": {"a": 1}, "mode": "w", "names": ["n"], "defs": {"name": 1},
                 "unknown": {"anything": [true]}}"""));
    }

    @Test
    void refAcrossFilesAppliesTheOtherFilesDefinitionAndItsMessages() {
        assertEquals(List.of("t.json: /size: -1 is not an unsigned 64-bit integer"),
                problems("test-keywords.json", "{\"id\": \"a\", \"size\": -1}"));
        assertEquals(List.of("t.json: /size: expected an integer, got a string (\"1\")"),
                problems("test-keywords.json", "{\"id\": \"a\", \"size\": \"1\"}"));
        // a $ref to a whole file applies that file's root schema
        assertEquals(List.of("t.json: /defs/name: is required but missing"),
                problems("test-keywords.json", "{\"id\": \"a\", \"defs\": {}}"));
        assertEquals(List.of("t.json: /defs: expected an object, got an array"),
                problems("test-keywords.json", "{\"id\": \"a\", \"defs\": []}"));
    }

    @Test
    void realSchemasFollowRefsAcrossFiles() {
        // config-schema.json -> config-linux.json -> defs-linux.json
        assertEquals(List.of("t.json: /linux/resources/cpu/cpus: \"0-3;7\" is not a CPU list such as 0-3,7"),
                problems("config-schema.json", "{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"r\"},"
                        + " \"linux\": {\"resources\": {\"cpu\": {\"cpus\": \"0-3;7\"}}}}"));
    }

    @Test
    void minimumAndMaximumCompareUint64SizedIntegersExactly() {
        assertEquals(List.of(), problems("test-keywords.json", "{\"id\": \"a\", \"size\": 18446744073709551615}"));
        assertEquals(List.of("t.json: /size: 18446744073709551616 is not an unsigned 64-bit integer"),
                problems("test-keywords.json", "{\"id\": \"a\", \"size\": 18446744073709551616}"));
        // beyond the range of a double's exact integers, one apart
        assertEquals(List.of("t.json: /wide: 18446744073709551616 is greater than the maximum 18446744073709551615"),
                problems("test-keywords.json", "{\"id\": \"a\", \"wide\": 18446744073709551616}"));
        assertEquals(List.of("t.json: /wide: -18446744073709551617 is less than the minimum -18446744073709551616"),
                problems("test-keywords.json", "{\"id\": \"a\", \"wide\": -18446744073709551617}"));
        assertEquals(List.of(), problems("test-keywords.json",
                "{\"id\": \"a\", \"wide\": 9223372036854775808, \"size\": 9223372036854775807}"));
        // a decimal is compared by value, and is not an integer
        assertEquals(List.of("t.json: /port: expected an integer, got a number (0.5)"),
                problems("test-keywords.json", "{\"id\": \"a\", \"port\": 0.5}"));
    }

    @Test
    void integersWrittenWithAFractionOrAnExponentAreNotIntegers() {
        // Deliberately stricter than JSON Schema, and so than networknt, for which 1.0 is an
        // integer: Go's encoding/json (runc's) refuses 1.0 for an integer field, and so does
        // jrun's SpecReader; refusing it here lets `jrun check` say so, in the schema's words.
        for (String n : List.of("1.0", "1e0", "65535.0")) {
            JsonValue tree = parse("{\"id\": \"a\", \"port\": " + n + "}");
            assertEquals(List.of(new Problem("t.json", "/port", "expected an integer, got a number (" + n + ")")),
                    SchemaValidator.validate("test-keywords.json", tree, "t.json"));
            assertEquals(List.of(), Networknt.validate("test-keywords.json", tree, "t.json"));
        }
    }

    @Test
    void patternIsSearchedForAsECMAScriptDoes() {
        assertEquals(List.of("t.json: /id: \"a1\" does not match the pattern ^[a-z]+$"),
                problems("test-keywords.json", "{\"id\": \"a1\"}"));
        assertEquals(List.of("t.json: /id: \"\" does not match the pattern ^[a-z]+$"),
                problems("test-keywords.json", "{\"id\": \"\"}"));
        // $ is ECMA-262's: the very end, not before a final line break as in Java
        assertEquals(List.of("t.json: /id: \"abc\\n\" does not match the pattern ^[a-z]+$"),
                problems("test-keywords.json", "{\"id\": \"abc\\n\"}"));
        // ... but an escaped $, or one in a character class, is a dollar sign
        assertEquals(List.of(), problems("test-keywords.json", "{\"id\": \"a\", \"price\": \"$12$\"}"));
        assertEquals(List.of("t.json: /price: \"$12$\\n\" does not match the pattern ^\\$[0-9$]*$"),
                problems("test-keywords.json", "{\"id\": \"a\", \"price\": \"$12$\\n\"}"));
        // an unanchored pattern matches anywhere in the string (find, not matches)
        assertEquals(List.of(), problems("test-keywords.json", "{\"id\": \"a\", \"tag\": \"v1.x\"}"));
        assertEquals(List.of("t.json: /tag: \"v.x\" does not match the pattern [0-9]"),
                problems("test-keywords.json", "{\"id\": \"a\", \"tag\": \"v.x\"}"));
        // the real schemas' patterns, anchored at both ends
        assertEquals(List.of("t.json: /ociVersion: \"1.2\" is not a SemVer 2.0.0 version such as 1.2.0"),
                problems("config-schema.json", "{\"ociVersion\": \"1.2\", \"root\": {\"path\": \"r\"}}"));
        assertEquals(List.of("t.json: /linux/intelRdt/memBwSchema: \"MB:0=20\\nL3:0=f\" is not a memory bandwidth schema: "
                        + "it must start with MB: and be a single line"),
                problems("config-schema.json", "{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"r\"},"
                        + " \"linux\": {\"intelRdt\": {\"memBwSchema\": \"MB:0=20\\nL3:0=f\"}}}"));
    }

    @Test
    void additionalPropertiesChecksEveryMemberNotNamedInProperties() {
        assertEquals(List.of("t.json: /labels/b: expected a string, got an integer (1)",
                        "t.json: /labels/c: must not be empty"),
                problems("test-keywords.json", "{\"id\": \"a\", \"labels\": {\"a\": \"x\", \"b\": 1, \"c\": \"\"}}"));
        // members not named anywhere are free when there is no additionalProperties
        assertEquals(List.of(), problems("test-keywords.json", "{\"id\": \"a\", \"x-anything\": null}"));
    }

    @Test
    void additionalPropertiesFalseRefusesUnnamedMembers() {
        // Not used by jrun's schemas. networknt names the object rather than the member, so this
        // one is not compared with it.
        List<Problem> ours = SchemaValidator.validate("test-keywords.json", parse("{\"id\": \"a\", \"fixed\": {\"a\": 1, \"b\": 2}}"), "t.json");
        assertEquals(List.of(new Problem("t.json", "/fixed/b", "is not allowed here")), ours);
        assertEquals(Set.of("/fixed"), pointers(Networknt.validate("test-keywords.json",
                parse("{\"id\": \"a\", \"fixed\": {\"a\": 1, \"b\": 2}}"), "t.json")));
    }

    @Test
    void requiredEnumItemsAndLengths() {
        assertEquals(List.of("t.json: /id: is required but missing"), problems("test-keywords.json", "{}"));
        assertEquals(List.of("t.json: /mode: \"x\" is not one of r, w"),
                problems("test-keywords.json", "{\"id\": \"a\", \"mode\": \"x\"}"));
        assertEquals(List.of("t.json: /names: must have at least 1 entry"),
                problems("test-keywords.json", "{\"id\": \"a\", \"names\": []}"));
        assertEquals(List.of("t.json: /names/1: must not be empty", "t.json: /names/2: expected a string, got null"),
                problems("test-keywords.json", "{\"id\": \"a\", \"names\": [\"a\", \"\", null]}"));
        assertEquals(List.of("t.json: expected an object, got an array"), problems("test-keywords.json", "[]"));
    }

    @Test
    void xMessageWordsFollowTheValue() {
        assertEquals(List.of("t.json: /port: 0 is not a port number (1 to 65535)"),
                problems("test-keywords.json", "{\"id\": \"a\", \"port\": 0}"));
        assertEquals(List.of("t.json: /port: 65536 is not a port number (1 to 65535)"),
                problems("test-keywords.json", "{\"id\": \"a\", \"port\": 65536}"));
        // the real schemas' words
        assertEquals(List.of("t.json: /process/user/uid: -1 is out of range for uint32 (0 to 4294967295)"),
                problems("config-schema.json", "{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"r\"},"
                        + " \"process\": {\"cwd\": \"/\", \"user\": {\"uid\": -1, \"gid\": 0}}}"));
        assertEquals(List.of("t.json: /linux/resources/devices/0/access: \"rx\" is not a device access string: use the letters r, w and m"),
                problems("config-schema.json", "{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"r\"},"
                        + " \"linux\": {\"resources\": {\"devices\": [{\"allow\": true, \"access\": \"rx\"}]}}}"));
    }

    @Test
    void ifThenAppliesToCreatedAndRunningStates() {
        String state = "{\"ociVersion\": \"1.2.0\", \"id\": \"c\", \"status\": \"%s\", \"bundle\": \"/b\"%s}";
        // if matches: then applies, with its own x-message
        assertEquals(List.of("t.json: /pid: is required but missing"), problems("state-schema.json", state.formatted("created", "")));
        assertEquals(List.of("t.json: /pid: 0 is not a process id: a created or running container has a process"),
                problems("state-schema.json", state.formatted("running", ", \"pid\": 0")));
        assertEquals(List.of(), problems("state-schema.json", state.formatted("paused", ", \"pid\": 1")));
        // if fails (other statuses, or no status at all): then does not apply
        assertEquals(List.of(), problems("state-schema.json", state.formatted("stopped", "")));
        assertEquals(List.of(), problems("state-schema.json", state.formatted("creating", ", \"pid\": 0")));
        assertEquals(List.of("t.json: /status: is required but missing"),
                problems("state-schema.json", "{\"ociVersion\": \"1.2.0\", \"id\": \"c\", \"bundle\": \"/b\", \"pid\": 0}"));
        // the if's own failures are never reported
        assertEquals(List.of("t.json: /status: \"sleeping\" is not one of creating, created, running, stopped, paused"),
                problems("state-schema.json", state.formatted("sleeping", "")));
    }

    // ---- the oracle: networknt, on every document the tests know ----

    /** A document to validate: its name in messages, the schema file and the JSON text. */
    record Doc(String name, String schema, byte[] json) {
        static Doc config(String name, String json) {
            return new Doc(name, "config-schema.json", json.getBytes(StandardCharsets.UTF_8));
        }

        static Doc state(String json) {
            return new Doc("state " + json, "state-schema.json", json.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The corpus's configs that are well-formed JSON (the others never reach a schema). */
    static Stream<Doc> invalidConfigs() {
        return InvalidConfigCorpusTest.corpus().stream().map(c -> "invalid-configs/" + c.file())
                .map(f -> new Doc(f, "config-schema.json", Bundles.resource(f)))
                .filter(SchemaValidatorTest::wellFormed);
    }

    private static boolean wellFormed(Doc doc) {
        try {
            JsonTrees.parse(doc.json(), doc.name());
            return true;
        } catch (JsonDocumentException e) {
            return false;
        }
    }

    /** The valid configs and states of the tests (runc's, which needs runc, is checked on its own). */
    static List<Doc> validDocuments() {
        try {
            List<Doc> docs = new ArrayList<>();
            docs.add(new Doc("valid-configs/maximal.json", "config-schema.json", Bundles.resource("valid-configs/maximal.json")));
            Path example = Path.of(System.getProperty("jrun.home", "."), "bundles/busybox/config.json");
            docs.add(new Doc("bundles/busybox/config.json", "config-schema.json", Files.readAllBytes(example)));
            docs.add(Doc.config("jrun.spec.FullConfig", FullConfig.JSON));
            docs.add(Doc.config("jrun spec", SpecWriter.toJson(DefaultSpec.create(false))));
            docs.add(Doc.config("jrun spec --rootless", SpecWriter.toJson(DefaultSpec.create(true))));
            docs.add(Doc.config("ValidConfigsTest relative mount", ValidConfigsTest.RELATIVE_MOUNT_DESTINATION));
            docs.add(Doc.config("ValidConfigsTest unknown fields", ValidConfigsTest.unknownFieldsConfig(Path.of("/elsewhere"))));
            for (String status : List.of("creating", "created", "running", "stopped", "paused")) {
                docs.add(Doc.state("{\"ociVersion\": \"1.2.0\", \"id\": \"c1\", \"status\": \"" + status + "\", \"pid\": 4422,"
                        + " \"bundle\": \"/containers/redis\", \"annotations\": {\"myKey\": \"myValue\"}}"));
            }
            docs.add(Doc.state("{\"ociVersion\": \"1.2.0\", \"id\": \"c1\", \"status\": \"stopped\", \"bundle\": \"/b\"}"));
            docs.add(Doc.state("{\"ociVersion\": \"1.2.0\", \"id\": \"c1\", \"status\": \"creating\", \"bundle\": \"/b\"}"));
            return docs;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Stream<Doc> validDocumentStream() {
        return validDocuments().stream();
    }

    @Test
    void theCorpusIsLarge() {
        assertTrue(invalidConfigs().count() >= 80, "the invalid-config corpus shrank");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigs")
    void networkntAgreesOnEveryInvalidConfig(Doc doc) {
        compare(doc); // some are wrong only for SemanticChecks: then both validators must find nothing
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validDocumentStream")
    void networkntAgreesOnEveryValidDocument(Doc doc) {
        assertEquals(List.of(), compare(doc), doc.name());
    }

    @Test
    void networkntAgreesOnRuncsDefaultConfigs(@TempDir Path dir) throws Exception {
        for (String flag : List.of("", "--rootless")) {
            Path bundle = Files.createDirectories(dir.resolve("runc" + flag));
            Bundles.runcSpec(bundle, flag.isEmpty() ? new String[0] : new String[] {flag});
            Doc doc = new Doc("runc spec " + flag, "config-schema.json", Files.readAllBytes(bundle.resolve("config.json")));
            assertEquals(List.of(), compare(doc), doc.name());
        }
    }

    /** Values that break most schemas somewhere: every type, numbers at the edges of the sized integers. */
    private static final List<String> WRONG_VALUES = List.of("\"\"", "\"x\"", "-1", "0", "1.5", "4294967296",
            "18446744073709551616", "true", "null", "{}", "[]");

    /**
     * Every value of the maximal config and of the valid states replaced by each of
     * {@link #WRONG_VALUES}, or removed: thousands of documents that are wrong in one place.
     */
    @Test
    void networkntAgreesOnEveryMutationOfTheValidDocuments() {
        List<JsonValue> wrong = WRONG_VALUES.stream().map(SchemaValidatorTest::parse).toList();
        List<String> disagreements = new ArrayList<>();
        int checked = 0;
        // maximal.json uses every property of the config schema (MaximalConfigCoverageTest)
        List<Doc> docs = validDocuments().stream()
                .filter(d -> d.name().equals("valid-configs/maximal.json") || d.schema().equals("state-schema.json")).toList();
        for (Doc doc : docs) {
            JsonValue tree = JsonTrees.parse(doc.json(), doc.name());
            for (List<String> path : paths(tree, new ArrayList<>(), new ArrayList<>())) {
                List<JsonValue> replacements = new ArrayList<>(wrong);
                replacements.add(null); // removed
                JsonValue original = at(tree, path);
                if (original.isString()) {
                    // a line break after the value: a pattern's $ must not match before it
                    replacements.add(JsonValue.string(original.stringValue() + "\n"));
                }
                for (JsonValue replacement : replacements) {
                    JsonValue mutant = with(tree, path, 0, replacement);
                    String what = doc.name() + " with " + pointer(path) + (replacement == null ? " removed" : " = " + replacement);
                    try {
                        compare(what, doc.schema(), mutant);
                    } catch (AssertionError e) {
                        disagreements.add(e.getMessage());
                    }
                    checked++;
                }
            }
        }
        assertTrue(checked > 4000, "mutants checked: " + checked);
        assertEquals("", String.join("\n", disagreements), disagreements.size() + " of " + checked + " mutants");
    }

    /** Compares both validators on {@code doc}; returns our problems. */
    private static List<Problem> compare(Doc doc) {
        return compare(doc.name(), doc.schema(), JsonTrees.parse(doc.json(), doc.name()));
    }

    private static List<Problem> compare(String what, String schema, JsonValue tree) {
        List<Problem> ours = SchemaValidator.validate(schema, tree, "t.json");
        assertAgreement(what, ours, Networknt.validate(schema, tree, "t.json"));
        return ours;
    }

    /**
     * Both validators must agree on whether the document is valid and on where it is wrong (the
     * set of pointers), and jrun must say nothing there that jrun did not say with networknt (its
     * errors worded as {@link Networknt#toProblem} did). jrun may say less: after a wrong type it
     * does not add that the value is not one of an enum's strings either.
     */
    private static void assertAgreement(String what, List<Problem> ours, List<Problem> theirs) {
        assertEquals(theirs.isEmpty(), ours.isEmpty(), () -> what + ": valid? networknt: " + theirs + ", jrun: " + ours);
        assertEquals(pointers(theirs), pointers(ours), () -> what + ": pointers: networknt: " + theirs + ", jrun: " + ours);
        List<Problem> unheard = ours.stream().filter(p -> !theirs.contains(p)).toList();
        assertEquals(List.of(), unheard, () -> what + ": messages: networknt: " + theirs + ", jrun: " + ours);
    }

    private static Set<String> pointers(List<Problem> problems) {
        return problems.stream().map(Problem::pointer).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The paths (member names and indexes) of every value below the root. */
    private static List<List<String>> paths(JsonValue node, List<String> at, List<List<String>> out) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonValue> e : node.properties()) {
                descend(e.getValue(), at, e.getKey(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                descend(node.get(i), at, Integer.toString(i), out);
            }
        }
        return out;
    }

    private static void descend(JsonValue child, List<String> at, String token, List<List<String>> out) {
        List<String> path = new ArrayList<>(at);
        path.add(token);
        out.add(path);
        paths(child, path, out);
    }

    /** {@code node} with the value at {@code path} (from index {@code i}) replaced, or removed for null. */
    private static JsonValue with(JsonValue node, List<String> path, int i, JsonValue replacement) {
        String token = path.get(i);
        boolean last = i == path.size() - 1;
        if (node.isObject()) {
            Map<String, JsonValue> members = new LinkedHashMap<>();
            for (Map.Entry<String, JsonValue> e : node.properties()) {
                JsonValue v = !e.getKey().equals(token) ? e.getValue() : last ? replacement : with(e.getValue(), path, i + 1, replacement);
                if (v != null) {
                    members.put(e.getKey(), v);
                }
            }
            return JsonValue.object(members);
        }
        List<JsonValue> elements = new ArrayList<>();
        for (int j = 0; j < node.size(); j++) {
            JsonValue v = j != Integer.parseInt(token) ? node.get(j) : last ? replacement : with(node.get(j), path, i + 1, replacement);
            if (v != null) {
                elements.add(v);
            }
        }
        return JsonValue.array(elements);
    }

    private static JsonValue at(JsonValue node, List<String> path) {
        for (String token : path) {
            node = node.isArray() ? node.path(Integer.parseInt(token)) : node.path(token);
        }
        return node;
    }

    private static String pointer(List<String> path) {
        String pointer = "";
        for (String token : path) {
            pointer = Problem.pointer(pointer, token);
        }
        return pointer;
    }

    /**
     * networknt's validator, configured as jrun's OciSchemas configured it until SchemaValidator
     * replaced it (draft 2020-12, x-message, JSON pointers, the schemas from the class path),
     * except that networknt reads the schemas with its own Jackson reader.
     */
    static final class Networknt {
        private static final SchemaRegistry REGISTRY = SchemaRegistry.builder()
                .dialectRegistry(new BasicDialectRegistry(Dialects.getDraft202012()))
                .defaultDialectId(SpecificationVersion.DRAFT_2020_12.getDialectId())
                .schemaRegistryConfig(SchemaRegistryConfig.builder()
                        .errorMessageKeyword(SchemaMessages.MESSAGE_KEYWORD)
                        .pathType(PathType.JSON_POINTER)
                        .build())
                .build();
        private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();
        /** The keywords SchemaMessages words; networknt's own message for any other. */
        private static final Set<String> WORDED = Set.of("type", "enum", "const", "pattern", "minimum", "maximum",
                "minItems", "maxItems", "minLength", "maxLength");

        private Networknt() {}

        static List<Problem> validate(String schemaFile, JsonValue instance, String file) {
            Schema schema = SCHEMAS.computeIfAbsent(schemaFile, f -> {
                Schema s = REGISTRY.getSchema(SchemaLocation.of("classpath:oci-schemas/" + f));
                s.initializeValidators();
                return s;
            });
            List<Problem> problems = new ArrayList<>();
            for (Error e : schema.validate(toJsonNode(instance))) {
                Problem p = toProblem(e, file);
                if (!problems.contains(p)) {
                    problems.add(p);
                }
            }
            return problems;
        }

        /** An error as jrun's SchemaMessages.toProblem worded networknt's errors. */
        private static Problem toProblem(Error e, String file) {
            String pointer = pointer(e.getInstanceLocation());
            JsonValue value = e.getInstanceNode() == null ? null : toJsonValue(e.getInstanceNode());
            String keyword = e.getKeyword() == null ? "" : e.getKeyword();
            if (keyword.equals("required")) {
                return new Problem(file, Problem.pointer(pointer, e.getProperty()), "is required but missing");
            }
            if (e.isCustomMessage()) {
                return new Problem(file, pointer, SchemaMessages.show(value) + " " + e.getMessage());
            }
            String message = WORDED.contains(keyword)
                    ? SchemaMessages.message(keyword, toJsonValue(e.getSchemaNode()), value)
                    : e.getMessage();
            return new Problem(file, pointer, message);
        }

        private static String pointer(NodePath path) {
            String pointer = "";
            for (int i = 0; i < path.getNameCount(); i++) {
                pointer = Problem.pointer(pointer, path.getElement(i));
            }
            return pointer;
        }
    }
}
