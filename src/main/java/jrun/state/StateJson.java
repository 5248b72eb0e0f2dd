package jrun.state;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jrun.base.JrunException;
import jrun.json.JsonReader;
import jrun.json.JsonValue;
import jrun.json.JsonWriter;

/**
 * State JSON. Every jrun command that looks at a container reads a state file first, so the
 * file is read and written with jrun's own {@link JsonReader} and {@link JsonValue} (Jackson's
 * parser initialises {@code BigDecimal}: ~85 ms of an interpreted JDK 25, more than the rest of
 * {@code jrun state}). What jrun prints (state, list, hooks' stdin) is written by
 * {@link JsonWriter}, as runc's Go marshals it.
 */
public final class StateJson {

    private StateJson() {}

    /** Go's RFC3339Nano: UTC, fraction without trailing zeros, none at all on a whole second. */
    public static String formatTime(Instant t) {
        return Rfc3339.format(t);
    }

    // ---- the state file ----

    /** The content of {@code state.json}: compact, one line. */
    public static byte[] toFile(ContainerState s) {
        // Built as a JsonValue and written by jrun.json: create writes this file on every
        // container's critical path, and Jackson's generator costs ~5 ms of class initialisation.
        Map<String, JsonValue> f = new LinkedHashMap<>();
        f.put("ociVersion", JsonValue.string(s.ociVersion()));
        f.put("id", JsonValue.string(s.id()));
        f.put("status", JsonValue.string(s.status().jsonName()));
        f.put("pid", JsonValue.number(s.pid()));
        f.put("pidStartTime", JsonValue.number(s.pidStartTime()));
        f.put("bundle", JsonValue.string(s.bundle()));
        f.put("rootfs", JsonValue.string(s.rootfs()));
        f.put("created", JsonValue.string(formatTime(s.created())));
        f.put("annotations", stringObject(s.annotations()));
        f.put("cgroupsPath", JsonValue.string(s.cgroupsPath()));
        f.put("cgroupPaths", stringObject(s.cgroupPaths()));
        f.put("namespacePaths", stringObject(s.namespacePaths()));
        f.put("userNamespace", JsonValue.bool(s.userNamespace()));
        f.put("pidNamespace", JsonValue.bool(s.pidNamespace()));
        f.put("rootless", JsonValue.bool(s.rootless()));
        f.put("extra", stringObject(s.extra()));
        return (JsonValue.object(f) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static JsonValue stringObject(Map<String, String> map) {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        map.forEach((k, v) -> members.put(k, JsonValue.string(v)));
        return JsonValue.object(members);
    }

    /**
     * Parses a state file. Unknown fields are skipped (a newer jrun may add some); missing ones
     * take their empty value, except {@code id}, {@code status} and {@code created}. Anything
     * malformed is a {@link JrunException} naming {@code source}.
     */
    public static ContainerState fromFile(byte[] json, Path source) {
        JsonValue root;
        try {
            root = JsonReader.read(json);
        } catch (JsonReader.SyntaxError e) {
            throw corrupt(source, e.getMessage());
        }
        if (!root.isObject()) {
            throw corrupt(source, "expected a JSON object");
        }
        String ociVersion = null;
        String id = null;
        ContainerStatus status = null;
        int pid = 0;
        long pidStartTime = 0;
        String bundle = null;
        String rootfs = null;
        Instant created = null;
        Map<String, String> annotations = Map.of();
        String cgroupsPath = null;
        Map<String, String> cgroupPaths = Map.of();
        Map<String, String> namespacePaths = Map.of();
        boolean userNamespace = false;
        boolean pidNamespace = false;
        boolean rootless = false;
        Map<String, String> extra = Map.of();
        for (Map.Entry<String, JsonValue> e : root.properties()) {
            String name = e.getKey();
            JsonValue value = e.getValue();
            switch (name) {
                case "ociVersion" -> ociVersion = string(value, name, source);
                case "id" -> id = string(value, name, source);
                case "status" -> {
                    String s = string(value, name, source);
                    status = ContainerStatus.fromJsonName(s);
                    if (status == null) {
                        throw corrupt(source, "/status: unknown status \"" + s + "\"");
                    }
                }
                case "pid" -> pid = integer(value, name, source);
                case "pidStartTime" -> pidStartTime = longInteger(value, name, source);
                case "bundle" -> bundle = string(value, name, source);
                case "rootfs" -> rootfs = string(value, name, source);
                case "created" -> created = time(string(value, name, source), source);
                case "annotations" -> annotations = stringMap(value, name, source);
                case "cgroupsPath" -> cgroupsPath = string(value, name, source);
                case "cgroupPaths" -> cgroupPaths = stringMap(value, name, source);
                case "namespacePaths" -> namespacePaths = stringMap(value, name, source);
                case "userNamespace" -> userNamespace = bool(value, name, source);
                case "pidNamespace" -> pidNamespace = bool(value, name, source);
                case "rootless" -> rootless = bool(value, name, source);
                case "extra" -> extra = stringMap(value, name, source);
                default -> { } // a newer jrun's field
            }
        }
        if (id == null || status == null || created == null) {
            throw corrupt(source, "missing " + (id == null ? "id" : status == null ? "status" : "created"));
        }
        try {
            return new ContainerState(ociVersion, id, status, pid, pidStartTime, bundle, rootfs, created, annotations,
                    cgroupsPath, cgroupPaths, namespacePaths, userNamespace, pidNamespace, rootless, extra);
        } catch (JrunException e) {
            throw corrupt(source, e.getMessage());
        }
    }

    // ---- what jrun prints ----

    /** runc's {@code state} output: Go's {@code MarshalIndent(v, "", "  ")}. */
    public static String toPrettyJson(OciState s) {
        return writeOciState(JsonWriter.indented("  "), s).toString();
    }

    /** runc's {@code list -f json} output: one compact array, or {@code null} when there is no
     *  container (Go marshals runc's nil slice so, and jrun prints the same). */
    public static String toJsonArray(List<OciState> states) {
        if (states.isEmpty()) {
            return "null";
        }
        JsonWriter w = JsonWriter.compact().beginArray();
        for (OciState s : states) {
            writeOciState(w, s);
        }
        return w.endArray().toString();
    }

    /**
     * The runtime-spec's state (what hooks read on stdin): only the spec's fields, compact, as
     * runc marshals specs.State.
     */
    public static byte[] toSpecState(OciState s) {
        JsonWriter w = JsonWriter.compact().beginObject()
                .property("ociVersion", s.ociVersion())
                .property("id", s.id())
                .property("status", s.status().jsonName())
                .property("pid", s.pid())
                .property("bundle", s.bundle());
        if (!s.annotations().isEmpty()) {
            w.property("annotations", s.annotations());
        }
        return w.endObject().toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonWriter writeOciState(JsonWriter w, OciState s) {
        w.beginObject()
                .property("ociVersion", s.ociVersion())
                .property("id", s.id())
                .property("pid", s.pid())
                .property("status", s.status().jsonName())
                .property("bundle", s.bundle())
                .property("rootfs", s.rootfs())
                .property("created", formatTime(s.created()));
        if (!s.annotations().isEmpty()) {
            w.property("annotations", s.annotations());
        }
        return w.property("owner", s.owner()).endObject();
    }

    // ---- helpers ----

    private static String string(JsonValue v, String name, Path source) {
        if (!v.isString()) {
            throw corrupt(source, "/" + name + ": expected a string");
        }
        return v.stringValue();
    }

    private static int integer(JsonValue v, String name, Path source) {
        long n = longInteger(v, name, source);
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw corrupt(source, "/" + name + ": " + n + " is not a pid");
        }
        return (int) n;
    }

    private static long longInteger(JsonValue v, String name, Path source) {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw corrupt(source, "/" + name + ": expected an integer");
        }
        return v.longValue();
    }

    private static boolean bool(JsonValue v, String name, Path source) {
        if (!v.isBoolean()) {
            throw corrupt(source, "/" + name + ": expected true or false");
        }
        return v.booleanValue();
    }

    private static Map<String, String> stringMap(JsonValue v, String name, Path source) {
        if (v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw corrupt(source, "/" + name + ": expected an object of strings");
        }
        Map<String, String> map = new TreeMap<>();
        for (Map.Entry<String, JsonValue> e : v.properties()) {
            map.put(e.getKey(), string(e.getValue(), name + "/" + e.getKey(), source));
        }
        return map;
    }

    private static Instant time(String text, Path source) {
        try {
            return Rfc3339.parse(text);
        } catch (DateTimeException e) {
            throw corrupt(source, "/created: not an RFC 3339 time: \"" + text + "\"");
        }
    }

    private static JrunException corrupt(Path source, String detail) {
        return new JrunException("corrupt container state " + source + ": " + detail);
    }
}
