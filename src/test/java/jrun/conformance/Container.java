package jrun.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import jrun.it.Bundles;
import jrun.it.Jrun;
import tools.jackson.databind.JsonNode;

/**
 * A container as a client sees it: an id it created from a bundle, driven through the runtime's
 * {@code state}, {@code start}, {@code kill} and {@code delete}; the container's stdout and
 * stderr are the files the client gave {@code create}.
 */
final class Container {
    private static final long WAIT_SECONDS = 30;

    private final Jrun runtime;
    private final String id;
    private final Path bundle;
    private final Path stdout;
    private final Path stderr;

    Container(Jrun runtime, String id, Path bundle, Path stdout, Path stderr) {
        this.runtime = runtime;
        this.id = id;
        this.bundle = bundle;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    String id() {
        return id;
    }

    Path bundle() {
        return bundle;
    }

    JsonNode state() {
        return Bundles.parse(Expect.ok(runtime.run("state", id), "state " + id).stdout());
    }

    String status() {
        return state().path("status").asString();
    }

    void expectStatus(String expected, String when) {
        Expect.equal(expected, status(), "status " + when);
    }

    Jrun.Result tryStart() {
        return runtime.run("start", id);
    }

    void start() {
        Expect.ok(tryStart(), "start " + id);
    }

    Jrun.Result tryKill(String signal) {
        return runtime.run("kill", id, signal);
    }

    void kill(String signal) {
        Expect.ok(tryKill(signal), "kill " + id + " " + signal);
    }

    Jrun.Result tryDelete() {
        return runtime.run("delete", id);
    }

    void delete() {
        Expect.ok(tryDelete(), "delete " + id);
    }

    /** Polls {@code state} as an engine does until the status is {@code expected}. */
    void awaitStatus(String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        String last = status();
        while (!last.equals(expected)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("status still " + last + " after " + WAIT_SECONDS + " s, not " + expected
                        + "; container stderr: " + stderr());
            }
            Thread.sleep(50);
            last = status();
        }
    }

    /** Waits until the container has printed {@code needle} (a process telling it is ready). */
    void awaitOutput(String needle) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!stdout().contains(needle)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the container never printed " + needle + "; stdout: " + stdout()
                        + " stderr: " + stderr());
            }
            Thread.sleep(50);
        }
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
