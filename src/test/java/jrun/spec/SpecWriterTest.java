package jrun.spec;

import static jrun.json.Jackson.toJsonNode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import jrun.json.JsonValue;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SpecWriterTest {
    private static JsonValue json(String text) {
        return FullConfig.parse(text);
    }

    @Test
    void roundTripOfEveryFieldGivesAnEqualSpec() {
        Spec spec = SpecReader.read(FullConfig.tree());
        Spec again = SpecReader.read(json(SpecWriter.toJson(spec)));
        assertEquals(spec, again);
    }

    @Test
    void writerReproducesTheDocumentIncludingOrderAndUnknownFields() {
        // FullConfig lists known fields in the writer's order and unknown ones last, so the
        // output must be the same document, byte for byte once laid out alike.
        JsonValue input = FullConfig.tree();
        assertEquals(SpecWriter.pretty(input), SpecWriter.toJson(SpecReader.read(input)));
        assertEquals(toJsonNode(input), toJsonNode(SpecWriter.toTree(SpecReader.read(input))), "the same document for Jackson");
    }

    @Test
    void uint64ValuesAreWrittenUnsigned() {
        JsonNode tree = toJsonNode(SpecWriter.toTree(SpecReader.read(FullConfig.tree())));
        JsonNode nofile = tree.at("/process/rlimits/0/hard");
        assertEquals(new BigInteger("18446744073709551615"), nofile.bigIntegerValue());
        assertEquals(new BigInteger("18446744073709551615"),
                tree.at("/linux/seccomp/syscalls/1/args/0/value").bigIntegerValue());
        assertEquals(-1, tree.at("/linux/resources/memory/swap").longValue(), "int64 fields stay signed");
    }

    @Test
    void omitsWhatGoOmitsAndKeepsWhatGoAlwaysWrites() {
        ProcessSpec process = new ProcessSpec(false, null, null, List.of("sh"), null, List.of(), "/", null, List.of(), false,
                null, null, null, null, null, null, Map.of());
        Linux linux = new Linux(List.of(), List.of(), Map.of(),
                new Resources(List.of(new Resources.DeviceRule(false, null, null, null, null, Map.of())),
                        null, null, null, null, List.of(), null, Map.of(), Map.of(), Map.of()),
                null, List.of(), List.of(), Map.of(),
                new Seccomp("SCMP_ACT_ALLOW", null, List.of(), List.of(), null, null,
                        List.of(new Seccomp.Syscall(List.of(), "SCMP_ACT_LOG", null,
                                List.of(new Seccomp.Arg(0, 0, 0, "SCMP_CMP_EQ", Map.of())), Map.of())), Map.of()),
                null, List.of(), List.of(), null, null, null, null,
                Map.of("monotonic", new Linux.TimeOffset(0, 0, Map.of())), Map.of());
        Spec spec = new Spec("1.2.0", process, new Root("rootfs", false), null, "", List.of(), null, Map.of(), linux,
                Map.of());
        assertEquals(json("""
                {"ociVersion": "1.2.0",
                 "process": {"user": {"uid": 0, "gid": 0}, "args": ["sh"], "cwd": "/"},
                 "root": {"path": "rootfs"},
                 "domainname": "",
                 "linux": {"resources": {"devices": [{"allow": false}]},
                           "seccomp": {"defaultAction": "SCMP_ACT_ALLOW",
                                       "syscalls": [{"names": [], "action": "SCMP_ACT_LOG",
                                                     "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}]}]},
                           "timeOffsets": {"monotonic": {}}}}"""), json(SpecWriter.toJson(spec)));
    }

    @Test
    void knownFieldsWinOverExtraFieldsOfTheSameName() {
        Root root = new Root("rootfs", false, Map.of("path", json("\"other\""), "x", json("1")));
        Spec spec = new Spec("1.2.0", null, root, null, null, List.of(), null, Map.of(), null, Map.of());
        assertEquals(toJsonNode(json("{\"path\": \"rootfs\", \"x\": 1}")), toJsonNode(SpecWriter.toTree(spec)).get("root"));
    }

    @Test
    void layoutIsRuncs() {
        String out = SpecWriter.toJson(DefaultSpec.create(false, 0, 0));
        assertTrue(out.startsWith("{\n\t\"ociVersion\": \"1.2.0\",\n\t\"process\": {\n\t\t\"terminal\": true,\n"), out);
        assertTrue(out.contains("\t\t\"args\": [\n\t\t\t\"sh\"\n\t\t],\n"), out);
        assertTrue(out.endsWith("\n}"), "no trailing newline, as runc");
        assertFalse(out.contains(" : "));
    }

    @Test
    void writesAProcessOnItsOwn() {
        ProcessSpec p = SpecReader.readProcess(json("{\"args\": [\"ps\"], \"cwd\": \"/\", \"x\": 1}"), "process.json");
        assertEquals(toJsonNode(json("{\"user\": {\"uid\": 0, \"gid\": 0}, \"args\": [\"ps\"], \"cwd\": \"/\", \"x\": 1}")),
                toJsonNode(SpecWriter.toTree(p)));
    }
}
