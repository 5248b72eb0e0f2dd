package jrun.features;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import jrun.spec.GoIndent;
import tools.jackson.core.JsonEncoding;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes {@link Features} as {@code runc features} prints them: Go's json.Encoder with
 * {@code SetIndent("", "    ")}, fields in the Go struct's order, {@code omitempty} everywhere.
 * Streaming only, like the state JSON (see StateJson for why databind stays unloaded).
 */
public final class FeaturesJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private static final ObjectWriteContext GO_INDENT = GoIndent.of("    ");

    private FeaturesJson() {}

    /** The JSON text with the newline json.Encoder ends it with. */
    public static String toJson(Features f) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = FACTORY.createGenerator(GO_INDENT, out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            string(g, "ociVersionMin", f.ociVersionMin());
            string(g, "ociVersionMax", f.ociVersionMax());
            strings(g, "hooks", f.hooks());
            strings(g, "mountOptions", f.mountOptions());
            if (f.linux() != null) {
                g.writeName("linux");
                linux(g, f.linux());
            }
            if (f.annotations() != null && !f.annotations().isEmpty()) {
                g.writeName("annotations");
                g.writeStartObject();
                for (Map.Entry<String, String> e : f.annotations().entrySet()) {
                    g.writeStringProperty(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        out.write('\n');
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void linux(JsonGenerator g, Features.Linux l) {
        g.writeStartObject();
        strings(g, "namespaces", l.namespaces());
        strings(g, "capabilities", l.capabilities());
        if (l.cgroup() != null) {
            Features.Cgroup c = l.cgroup();
            g.writeName("cgroup");
            g.writeStartObject();
            bool(g, "v1", c.v1());
            bool(g, "v2", c.v2());
            bool(g, "systemd", c.systemd());
            bool(g, "systemdUser", c.systemdUser());
            bool(g, "rdma", c.rdma());
            g.writeEndObject();
        }
        if (l.seccomp() != null) {
            Features.Seccomp s = l.seccomp();
            g.writeName("seccomp");
            g.writeStartObject();
            bool(g, "enabled", s.enabled());
            strings(g, "actions", s.actions());
            strings(g, "operators", s.operators());
            strings(g, "archs", s.archs());
            strings(g, "knownFlags", s.knownFlags());
            strings(g, "supportedFlags", s.supportedFlags());
            g.writeEndObject();
        }
        enabled(g, "apparmor", l.apparmor());
        enabled(g, "selinux", l.selinux());
        enabled(g, "intelRdt", l.intelRdt());
        if (l.memoryPolicy() != null) {
            g.writeName("memoryPolicy");
            g.writeStartObject();
            strings(g, "modes", l.memoryPolicy().modes());
            strings(g, "flags", l.memoryPolicy().flags());
            g.writeEndObject();
        }
        if (l.idmapMounts() != null) {
            g.writeName("mountExtensions");
            g.writeStartObject();
            enabled(g, "idmap", l.idmapMounts());
            g.writeEndObject();
        }
        enabled(g, "netDevices", l.netDevices());
        g.writeEndObject();
    }

    /** An object whose only field is {@code enabled}, as apparmor, selinux, intelRdt, idmap and netDevices are. */
    private static void enabled(JsonGenerator g, String name, Boolean enabled) {
        if (enabled != null) {
            g.writeName(name);
            g.writeStartObject();
            g.writeBooleanProperty("enabled", enabled);
            g.writeEndObject();
        }
    }

    private static void string(JsonGenerator g, String name, String value) {
        if (value != null && !value.isEmpty()) {
            g.writeStringProperty(name, value);
        }
    }

    private static void bool(JsonGenerator g, String name, Boolean value) {
        if (value != null) {
            g.writeBooleanProperty(name, value);
        }
    }

    private static void strings(JsonGenerator g, String name, List<String> values) {
        if (values != null && !values.isEmpty()) {
            g.writeName(name);
            g.writeStartArray();
            for (String v : values) {
                g.writeString(v);
            }
            g.writeEndArray();
        }
    }
}
