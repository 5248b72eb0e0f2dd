package jrun.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Test bundles: the example busybox bundle's config, edited per test, with a rootfs that is a
 * copy of bundles/busybox/rootfs (built by bundles/busybox/make-rootfs when missing).
 */
public final class Bundles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Bundles() {}

    public static Path exampleRootfs() {
        Path rootfs = Jrun.home().resolve("bundles/busybox/rootfs");
        if (!Files.isExecutable(rootfs.resolve("bin/busybox"))) {
            Jrun.Result r = Jrun.exec(List.of(Jrun.home().resolve("bundles/busybox/make-rootfs").toString()), null, 300);
            if (r.exit() != 0) {
                throw new AssertionError("make-rootfs failed: " + r.stderr() + r.stdout());
            }
        }
        return rootfs;
    }

    /** A bundle in {@code dir}: the example config with {@code args}, edited by {@code edit}. */
    public static Path create(Path dir, List<String> args, Consumer<ObjectNode> edit) {
        try {
            Files.createDirectories(dir);
            copyTree(exampleRootfs(), dir.resolve("rootfs"));
            ObjectNode config = (ObjectNode) JSON.readTree(Jrun.home().resolve("bundles/busybox/config.json").toFile());
            ObjectNode process = (ObjectNode) config.get("process");
            ArrayNode a = process.putArray("args");
            args.forEach(a::add);
            edit.accept(config);
            Files.writeString(dir.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
            return dir;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public static Path create(Path dir, List<String> args) {
        return create(dir, args, c -> { });
    }

    public static JsonNode parse(String json) {
        return JSON.readTree(json);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Jrun.Result r = Jrun.exec(List.of("cp", "-a", from.toString(), to.toString()), null, 60);
        if (r.exit() != 0) {
            throw new IOException("cp -a failed: " + r.stderr());
        }
    }
}
