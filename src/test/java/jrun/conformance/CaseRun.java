package jrun.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import jrun.it.Bundles;
import jrun.it.Jrun;
import jrun.it.Leftovers;
import jrun.linux.seccomp.SyscallProbe;
import tools.jackson.databind.node.ObjectNode;

/**
 * One case's run against one runtime: a directory of its own (bundles, the containers' output,
 * files hooks write), the runtime with a state root in it, and the steps every case shares.
 * {@link #cleanUp()} force-deletes what a failed case left and unmounts what a runtime left
 * mounted under the directory.
 */
final class CaseRun {
    private final Path dir;
    private final Jrun runtime;
    private final String prefix = "spec-" + UUID.randomUUID().toString().substring(0, 8);
    private int count;

    CaseRun(Path dir, List<String> launcher) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.runtime = new Jrun(launcher, dir.resolve("root"));
        // a container's root in a user namespace is not the host's root: it must reach its bundle
        for (Path p : List.of(dir.getParent(), dir)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    Path dir() {
        return dir;
    }

    Jrun runtime() {
        return runtime;
    }

    /**
     * A new container id. Ids name cgroups, which are machine-wide: a random part keeps runs
     * apart from each other's.
     */
    String newId() {
        return prefix + "-" + (++count);
    }

    /** A bundle running {@code sh -c script}: the example config edited by {@code edit}. */
    Path bundle(String script, Consumer<ObjectNode> edit) {
        return Bundles.create(dir.resolve("bundle-" + (++count)), List.of("sh", "-c", script), edit);
    }

    /** As {@link #bundle}, with conformance/escapes/probe.c built into /bin/probe: what busybox cannot ask the kernel. */
    Path bundleWithProbe(String script, Consumer<ObjectNode> edit) {
        Path bundle = bundle(script, edit);
        SyscallProbe.installInto(bundle.resolve("rootfs"));
        return bundle;
    }

    /** {@code create} of a new container from {@code bundle}, which must succeed, its status then "created". */
    Container create(Path bundle) {
        String id = newId();
        Container c = new Container(runtime, id, bundle, dir.resolve(id + ".out"), dir.resolve(id + ".err"));
        Expect.ok(runtime.runInto(dir.resolve(id + ".out"), dir.resolve(id + ".err"), "create", "--bundle",
                bundle.toString(), id), "create");
        return c;
    }

    /** {@code create} that may fail: its result. */
    Jrun.Result tryCreate(Path bundle, String id) {
        return runtime.runInto(dir.resolve(id + ".out"), dir.resolve(id + ".err"), "create", "--bundle",
                bundle.toString(), id);
    }

    /**
     * The whole lifecycle of a container running {@code script}, as an engine drives it: create,
     * state (created), start, state polled until stopped, delete. Returns what it printed.
     */
    String inside(String script, Consumer<ObjectNode> edit) throws InterruptedException {
        return inside(bundle(script, edit));
    }

    /** {@link #inside(String, Consumer)} of a bundle made already. */
    String inside(Path bundle) throws InterruptedException {
        Container c = create(bundle);
        c.expectStatus("created", "after create");
        c.start();
        c.awaitStatus("stopped");
        c.delete();
        return c.stdout();
    }

    String inside(String script) throws InterruptedException {
        return inside(script, config -> { });
    }

    /** An executable shell script on the host (a hook), in this case's directory. */
    Path hostScript(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    /** What is in {@code name} under this case's directory ("" when absent). */
    String read(String name) throws IOException {
        Path p = dir.resolve(name);
        return Files.exists(p) ? Files.readString(p) : "";
    }

    /** Force-deletes every container left under the state root, then anything mounted under the directory. */
    void cleanUp() {
        Jrun.Result list = runtime.run("list", "-q");
        for (String id : list.stdout().lines().filter(l -> !l.isBlank()).toList()) {
            runtime.run("delete", "-f", id.strip());
        }
        List<String> mounts = Leftovers.mountsUnder(dir);
        for (int i = mounts.size() - 1; i >= 0; i--) {
            Jrun.exec(List.of("umount", "-l", mounts.get(i).split(" ")[4]), null, 30);
        }
    }
}
