package jrun.features;

import java.util.List;
import jrun.json.JsonWriter;

/**
 * Writes {@link Features} as {@code runc features} prints them: Go's json.Encoder with
 * {@code SetIndent("", "    ")}, fields in the Go struct's order, {@code omitempty} everywhere.
 */
public final class FeaturesJson {
    private FeaturesJson() {}

    /** The JSON text with the newline json.Encoder ends it with. */
    public static String toJson(Features f) {
        JsonWriter g = JsonWriter.indented("    ").beginObject();
        string(g, "ociVersionMin", f.ociVersionMin());
        string(g, "ociVersionMax", f.ociVersionMax());
        strings(g, "hooks", f.hooks());
        strings(g, "mountOptions", f.mountOptions());
        if (f.linux() != null) {
            g.name("linux");
            linux(g, f.linux());
        }
        if (f.annotations() != null && !f.annotations().isEmpty()) {
            g.property("annotations", f.annotations());
        }
        return g.endObject() + "\n";
    }

    private static void linux(JsonWriter g, Features.Linux l) {
        g.beginObject();
        strings(g, "namespaces", l.namespaces());
        strings(g, "capabilities", l.capabilities());
        if (l.cgroup() != null) {
            Features.Cgroup c = l.cgroup();
            g.name("cgroup");
            g.beginObject();
            bool(g, "v1", c.v1());
            bool(g, "v2", c.v2());
            bool(g, "systemd", c.systemd());
            bool(g, "systemdUser", c.systemdUser());
            bool(g, "rdma", c.rdma());
            g.endObject();
        }
        if (l.seccomp() != null) {
            Features.Seccomp s = l.seccomp();
            g.name("seccomp");
            g.beginObject();
            bool(g, "enabled", s.enabled());
            strings(g, "actions", s.actions());
            strings(g, "operators", s.operators());
            strings(g, "archs", s.archs());
            strings(g, "knownFlags", s.knownFlags());
            strings(g, "supportedFlags", s.supportedFlags());
            g.endObject();
        }
        enabled(g, "apparmor", l.apparmor());
        enabled(g, "selinux", l.selinux());
        enabled(g, "intelRdt", l.intelRdt());
        if (l.memoryPolicy() != null) {
            g.name("memoryPolicy");
            g.beginObject();
            strings(g, "modes", l.memoryPolicy().modes());
            strings(g, "flags", l.memoryPolicy().flags());
            g.endObject();
        }
        if (l.idmapMounts() != null) {
            g.name("mountExtensions");
            g.beginObject();
            enabled(g, "idmap", l.idmapMounts());
            g.endObject();
        }
        enabled(g, "netDevices", l.netDevices());
        g.endObject();
    }

    /** An object whose only field is {@code enabled}, as apparmor, selinux, intelRdt, idmap and netDevices are. */
    private static void enabled(JsonWriter g, String name, Boolean enabled) {
        if (enabled != null) {
            g.name(name);
            g.beginObject();
            g.property("enabled", enabled);
            g.endObject();
        }
    }

    private static void string(JsonWriter g, String name, String value) {
        if (value != null && !value.isEmpty()) {
            g.property(name, value);
        }
    }

    private static void bool(JsonWriter g, String name, Boolean value) {
        if (value != null) {
            g.property(name, value);
        }
    }

    private static void strings(JsonWriter g, String name, List<String> values) {
        if (values != null && !values.isEmpty()) {
            g.name(name);
            g.beginArray();
            for (String v : values) {
                g.value(v);
            }
            g.endArray();
        }
    }
}
