package jrun.it;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * One test's corner of the machine: a state root and bundles under the test's temporary
 * directory, and a marker put in every container's environment so that the test can tell its
 * own container processes from anything else running on the host.
 */
final class Sandbox {
    private final Path dir;
    private final Jrun jrun;
    private final String marker = "JRUN_IT_MARKER=" + UUID.randomUUID();
    private int bundles;

    Sandbox(Path dir) {
        this.dir = dir;
        this.jrun = new Jrun(dir.resolve("root"));
    }

    Jrun jrun() {
        return jrun;
    }

    Path dir() {
        return dir;
    }

    /** The environment entry every container of this sandbox carries. */
    String marker() {
        return marker;
    }

    /** A new bundle running {@code args}, the example config edited by {@code edit}. */
    Path bundle(List<String> args, Consumer<ObjectNode> edit) {
        return Bundles.create(dir.resolve("bundle-" + (++bundles)), args, config -> {
            Configs.addEnv(config, marker);
            edit.accept(config);
        });
    }

    /** {@code jrun run} of {@code sh -c script}; returns its result whatever the exit status. */
    Jrun.Result sh(String script, Consumer<ObjectNode> edit) {
        Path bundle = bundle(List.of("sh", "-c", script), edit);
        return jrun.run("run", "--bundle", bundle.toString(), "c" + bundles);
    }

    /** The standard output of {@code sh -c script} run in a container; fails unless it exits 0. */
    String inside(String script, Consumer<ObjectNode> edit) {
        return sh(script, edit).ok().stdout();
    }

    String inside(String script) {
        return inside(script, c -> { });
    }
}
