package jrun.conformance;

import java.util.ArrayList;
import java.util.List;
import jrun.it.Configs;
import tools.jackson.databind.node.ObjectNode;

/** config-linux.md#devices and its default devices, runtime-linux.md's /dev links and file descriptors. */
final class DeviceCases {
    private static final String DEVICES = "config-linux.md#devices";
    private static final String DEFAULT_DEVICES = "config-linux.md#default-devices";

    private DeviceCases() {}

    static List<SpecCase> cases() {
        List<SpecCase> cases = new ArrayList<>(List.of(
                stat("device-char", "`devices` (array of objects, OPTIONAL) lists devices that MUST be available in the container.",
                        "/dev/spec-null", "%F %t:%T", "character special file 1:3",
                        config -> Configs.addDevice(config, "/dev/spec-null", "c", 1, 3)),
                stat("device-block", "`type` (string, REQUIRED) - type of device: `c`, `b`, `u` or `p`.",
                        "/dev/spec-loop", "%F %t:%T", "block special file 7:0",
                        config -> Configs.addDevice(config, "/dev/spec-loop", "b", 7, 0)),
                stat("device-fifo", "`type` (string, REQUIRED) - type of device: `c`, `b`, `u` or `p`.",
                        "/dev/spec-fifo", "%F", "fifo", config -> fifo(config, "/dev/spec-fifo")),
                stat("device-file-mode", "`fileMode` (uint32, OPTIONAL) - file mode for the device.",
                        "/dev/spec-null", "%a", "640",
                        config -> Configs.addDevice(config, "/dev/spec-null", "c", 1, 3).put("fileMode", 0640)),
                stat("device-owner", "`uid` (uint32, OPTIONAL) - id of device owner in the container namespace. `gid` (uint32, OPTIONAL) - id of device group in the container namespace.",
                        "/dev/spec-null", "%u:%g", "1000:1001",
                        config -> Configs.addDevice(config, "/dev/spec-null", "c", 1, 3).put("uid", 1000).put("gid", 1001)),
                stat("device-outside-dev", "The path MAY be anywhere in the container filesystem, notably outside of `/dev`.",
                        "/spec-devices/zero", "%F %t:%T", "character special file 1:5",
                        config -> Configs.addDevice(config, "/spec-devices/zero", "c", 1, 5)),
                new SpecCase("device-path-conflict", DEVICES,
                        "If a file already exists at `path` that does not match the requested device, the runtime MUST generate an error.",
                        run -> ProcessCases.expectCreateError(run, config -> Configs.addDevice(config, "/etc/passwd", "c", 1, 3))),
                new SpecCase("file-descriptors", "runtime-linux.md#file-descriptors",
                        "By default, only the `stdin`, `stdout` and `stderr` file descriptors are kept open for the application by the runtime.",
                        // the shell lists its own fds through a child, with no redirection of its own open
                        run -> Expect.equal("0\n1\n2\n", run.inside("ls /proc/$$/fd; true"), "the process's fds"))));
        // major and minor of the default devices (devices.txt)
        String[][] defaults = {{"null", "1:3"}, {"zero", "1:5"}, {"full", "1:7"}, {"random", "1:8"}, {"urandom", "1:9"},
            {"tty", "5:0"}};
        for (String[] d : defaults) {
            cases.add(new SpecCase("default-device-" + d[0], DEFAULT_DEVICES,
                    "In addition to any devices configured with this setting, the runtime MUST also supply: ... `/dev/" + d[0] + "`",
                    run -> Expect.equal("character special file " + hex(d[1]) + "\n",
                            run.inside("stat -L -c '%F %t:%T' /dev/" + d[0]), "/dev/" + d[0])));
        }
        cases.add(new SpecCase("default-device-ptmx", DEFAULT_DEVICES,
                "`/dev/ptmx`. A bind-mount or symlink of the container's `/dev/pts/ptmx`.",
                run -> {
                    String out = run.inside("readlink /dev/ptmx; stat -L -c '%d %i' /dev/ptmx /dev/pts/ptmx");
                    List<String> lines = out.lines().toList();
                    boolean symlink = lines.get(0).equals("pts/ptmx") || lines.get(0).equals("/dev/pts/ptmx");
                    boolean same = lines.size() >= 3 && lines.get(lines.size() - 1).equals(lines.get(lines.size() - 2));
                    Expect.that(symlink || same, "/dev/ptmx is neither a link to nor the same file as /dev/pts/ptmx: " + out);
                }));
        String[][] links = {{"fd", "/proc/self/fd"}, {"stdin", "/proc/self/fd/0"}, {"stdout", "/proc/self/fd/1"},
            {"stderr", "/proc/self/fd/2"}};
        for (String[] l : links) {
            cases.add(new SpecCase("dev-symlink-" + l[0], "runtime-linux.md#dev-symbolic-links",
                    "While creating the container (step 2 in the lifecycle), runtimes MUST create the following symlinks if the source file exists after processing mounts: "
                            + l[1] + " -> /dev/" + l[0],
                    run -> Expect.equal(l[1] + "\n", run.inside("readlink /dev/" + l[0]), "readlink /dev/" + l[0])));
        }
        return cases;
    }

    /** A case of config-linux.md#devices: {@code stat -c FORMAT PATH} in the container prints {@code expected}. */
    private static SpecCase stat(String name, String quote, String path, String format, String expected,
            java.util.function.Consumer<ObjectNode> edit) {
        return new SpecCase(name, DEVICES, quote, run -> Expect.equal(expected + "\n",
                run.inside("stat -c '" + format + "' " + path, edit), "stat -c '" + format + "' " + path));
    }

    /** stat's %t:%T print major and minor in hex. */
    private static String hex(String majorMinor) {
        String[] mm = majorMinor.split(":");
        return Integer.toHexString(Integer.parseInt(mm[0])) + ":" + Integer.toHexString(Integer.parseInt(mm[1]));
    }

    private static void fifo(ObjectNode config, String path) {
        ObjectNode linux = Configs.linux(config);
        tools.jackson.databind.node.ArrayNode devices = linux.has("devices")
                ? (tools.jackson.databind.node.ArrayNode) linux.get("devices") : linux.putArray("devices");
        devices.addObject().put("path", path).put("type", "p");
    }
}
