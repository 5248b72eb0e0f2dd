package jrun.state;

import static jrun.json.Jackson.toJsonValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import jrun.base.JrunException;
import jrun.validation.StateValidator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

class StateJsonTest {
    static final Path SOURCE = Path.of("/run/jrun/c1/state.json");

    static ContainerState full() {
        return new ContainerState("1.2.0", "c1", ContainerStatus.RUNNING, 4242, 987654321L, "/b/c1", "/b/c1/rootfs",
                Instant.parse("2026-11-26T20:35:34.332441598Z"),
                Map.of("org.example/key", "v\"quoted\"\n", "a", "b"),
                "/jrun/c1", Map.of("memory", "/sys/fs/cgroup/memory/jrun/c1", "unified", "/sys/fs/cgroup/unified/jrun/c1"),
                Map.of("pid", "/proc/4242/ns/pid", "mnt", "/proc/4242/ns/mnt"),
                true, true, false, Map.of("consoleSocket", "/tmp/s.sock", "unicode", "caf\u00e9 \u2603"));
    }

    @Test
    void theStateFileRoundTripsEveryField() {
        ContainerState s = full();
        assertEquals(s, StateJson.fromFile(StateJson.toFile(s), SOURCE));
        ContainerState minimal = ContainerState.creating("1.2.0", "x", "", "", null);
        assertEquals(minimal, StateJson.fromFile(StateJson.toFile(minimal), SOURCE));
    }

    @Test
    void unknownFieldsOfANewerJrunAreSkippedAndMissingOnesAreEmpty() {
        String json = """
                {"id":"c1","status":"stopped","created":"2026-01-02T03:04:05Z","future":{"nested":[1,{"x":2}]},
                 "pid":7,"alsoNew":true}""";
        ContainerState s = StateJson.fromFile(json.getBytes(StandardCharsets.UTF_8), SOURCE);
        assertEquals("c1", s.id());
        assertEquals(ContainerStatus.STOPPED, s.status());
        assertEquals(7, s.pid());
        assertEquals("", s.bundle());
        assertEquals(Map.of(), s.annotations());
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), s.created());
    }

    @Test
    void malformedFilesNameTheFileAndTheProblem() {
        assertCorrupt("", "");
        assertCorrupt("{\"id\":\"c1\",\"status\":\"created\",\"created\":\"2026-01-02T03:04:05Z\"", "");
        assertCorrupt("[]", "expected a JSON object");
        assertCorrupt("{\"id\":1,\"status\":\"created\",\"created\":\"2026-01-02T03:04:05Z\"}", "/id: expected a string");
        assertCorrupt("{\"id\":\"c1\",\"status\":\"sleeping\",\"created\":\"2026-01-02T03:04:05Z\"}", "unknown status \"sleeping\"");
        assertCorrupt("{\"id\":\"c1\",\"status\":\"created\",\"created\":\"yesterday\"}", "/created: not an RFC 3339 time");
        assertCorrupt("{\"id\":\"c1\",\"status\":\"created\"}", "missing created");
        assertCorrupt("{\"status\":\"created\",\"created\":\"2026-01-02T03:04:05Z\"}", "missing id");
        assertCorrupt("{\"id\":\"c1\",\"status\":\"created\",\"created\":\"2026-01-02T03:04:05Z\",\"pid\":-3}", "/pid: -3 is not a pid");
        assertCorrupt("{\"id\":\"c1\",\"status\":\"created\",\"created\":\"2026-01-02T03:04:05Z\",\"pid\":1e3}", "/pid: expected an integer");
        assertCorrupt("{\"id\":\"c1\",\"status\":\"created\",\"created\":\"2026-01-02T03:04:05Z\",\"annotations\":{\"a\":1}}",
                "/annotations/a: expected a string");
        assertCorrupt("{\"id\":\"../x\",\"status\":\"created\",\"created\":\"2026-01-02T03:04:05Z\"}", "invalid container id");
        assertCorrupt("{\"id\":\"c1\",\"status\":\"created\",\"created\":\"2026-01-02T03:04:05Z\"} {}", "unexpected content");
    }

    private static void assertCorrupt(String json, String detail) {
        JrunException e = assertThrows(JrunException.class,
                () -> StateJson.fromFile(json.getBytes(StandardCharsets.UTF_8), SOURCE));
        assertTrue(e.getMessage().startsWith("corrupt container state " + SOURCE + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(detail), e.getMessage());
    }

    @Test
    void prettyStateIsRuncsShapeAndIndentation() {
        OciState view = OciState.of(full(), ContainerStatus.RUNNING, "");
        assertEquals("""
                {
                  "ociVersion": "1.2.0",
                  "id": "c1",
                  "pid": 4242,
                  "status": "running",
                  "bundle": "/b/c1",
                  "rootfs": "/b/c1/rootfs",
                  "created": "2026-11-26T20:35:34.332441598Z",
                  "annotations": {
                    "a": "b",
                    "org.example/key": "v\\"quoted\\"\\n"
                  },
                  "owner": ""
                }""", StateJson.toPrettyJson(view));
    }

    @Test
    void aStoppedContainerShowsPidZeroAndNoEmptyAnnotations() {
        ContainerState s = ContainerState.creating("1.2.0", "c2", "/b", "/b/rootfs", Map.of()).withProcess(99, 5);
        String json = StateJson.toPrettyJson(OciState.of(s, ContainerStatus.STOPPED, ""));
        assertTrue(json.contains("\"pid\": 0,"), json);
        assertTrue(json.contains("\"status\": \"stopped\","), json);
        assertTrue(!json.contains("annotations"), json);
    }

    @Test
    void listJsonIsACompactArrayOrNullWhenEmpty() {
        assertEquals("null", StateJson.toJsonArray(List.of()));
        ContainerState a = ContainerState.creating("1.2.0", "a", "/b", "/b/rootfs", Map.of())
                .withStatus(ContainerStatus.CREATED).withProcess(10, 1);
        OciState view = new OciState("1.2.0", "a", 10, ContainerStatus.CREATED, "/b", "/b/rootfs",
                Instant.parse("2026-11-26T20:35:37.5Z"), Map.of("k", "v"), "root");
        assertEquals("[{\"ociVersion\":\"1.2.0\",\"id\":\"a\",\"pid\":10,\"status\":\"created\",\"bundle\":\"/b\","
                + "\"rootfs\":\"/b/rootfs\",\"created\":\"2026-11-26T20:35:37.5Z\",\"annotations\":{\"k\":\"v\"},"
                + "\"owner\":\"root\"}]", StateJson.toJsonArray(List.of(view)));
        assertEquals(2, StateJson.toJsonArray(List.of(view, OciState.of(a, ContainerStatus.CREATED, "root")))
                .split("\"ociVersion\"").length - 1);
    }

    @Test
    void whatJrunPrintsIsAValidOciStateInEveryStatus() {
        for (ContainerStatus status : ContainerStatus.values()) {
            String json = StateJson.toPrettyJson(OciState.of(full(), status, ""));
            assertEquals(List.of(), StateValidator.check(toJsonValue(new ObjectMapper().readTree(json))), json);
        }
        String list = StateJson.toJsonArray(List.of(OciState.of(full(), ContainerStatus.RUNNING, "root")));
        assertEquals(List.of(), StateValidator.check(toJsonValue(new ObjectMapper().readTree(list).get(0))), list);
    }

    @Test
    void timesAreGoRfc3339NanoInUtc() {
        assertEquals("2026-11-26T20:35:34.332441598Z", StateJson.formatTime(Instant.parse("2026-11-26T20:35:34.332441598Z")));
        assertEquals("2026-11-26T20:35:34.3324415Z", StateJson.formatTime(Instant.parse("2026-11-26T20:35:34.332441500Z")));
        assertEquals("2026-11-26T20:35:34.5Z", StateJson.formatTime(Instant.parse("2026-11-26T20:35:34.500Z")));
        assertEquals("2026-11-26T20:35:34Z", StateJson.formatTime(Instant.parse("2026-11-26T20:35:34Z")));
        assertEquals("2026-01-02T03:04:05.000000001Z", StateJson.formatTime(Instant.parse("2026-01-02T03:04:05.000000001Z")));
    }

    @Test
    void hooksGetOnlyTheRuntimeSpecsStateFields() {
        byte[] json = StateJson.toSpecState(OciState.of(full(), ContainerStatus.CREATING, "root"));
        String text = new String(json, StandardCharsets.UTF_8);
        var tree = new ObjectMapper().readTree(text);
        List<String> names = new java.util.ArrayList<>();
        tree.propertyNames().forEach(names::add);
        List<String> expected = new java.util.ArrayList<>(List.of("ociVersion", "id", "status", "pid", "bundle"));
        if (!full().annotations().isEmpty()) {
            expected.add("annotations");
        }
        assertEquals(expected, names, text);
        assertEquals("creating", tree.get("status").asString());
        assertEquals(full().pid(), tree.get("pid").asInt());
    }
}
