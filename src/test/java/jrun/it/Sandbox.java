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

    /**
     * Container ids also name cgroups (/jrun/ID), which are machine-wide: a random suffix keeps
     * a test's containers apart from those of other test runs on the machine.
     */
    static String uniqueId(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Force-deletes whatever containers are left under this sandbox's root, then asserts that
     * nothing of them remains: state, container processes, mounts under the sandbox, jrun
     * processes, and no fd leaked by the caller since {@code fdsBefore}.
     */
    void deleteAllAndAssertNothingLeft(int fdsBefore) {
        for (String id : jrun.run("list", "-q").stdout().lines().filter(l -> !l.isBlank()).toList()) {
            jrun.run("delete", "-f", id).ok();
        }
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), Leftovers.stateEntries(jrun.root()),
                "state left under --root");
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), Leftovers.processesWithEnv(marker),
                "container processes left");
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), Leftovers.mountsUnder(dir), "mounts left on the host");
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), Leftovers.descendants(), "jrun processes left");
        org.junit.jupiter.api.Assertions.assertEquals(fdsBefore, Leftovers.openFds(),
                "file descriptors leaked in the caller");
    }
}
