package jrun.hooks;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jrun.spec.Hook;

/**
 * Runs the hooks of one lifecycle phase, in order, as the runtime spec says: each gets the
 * container's state JSON on stdin, its {@code args} as its argv (argv[0] included) and its own
 * {@code env} as runc passes it (none when there is none, not jrun's); a {@code timeout} kills it; a nonzero exit, a signal, a time-out or a program that
 * cannot be executed is a failure. {@link #run} stops at the first failure (every phase but
 * {@code poststop}), {@link #runBestEffort} goes on and returns the failures as warnings
 * ({@code poststop}: the container is gone either way).
 */
public final class HookRunner {
    /** How much of a hook's stdout and stderr is kept for the error message: their end. */
    public static final int OUTPUT_LIMIT = 64 * 1024;

    /**
     * How long to keep reading a hook's output after it exited: its pipes reach end of file
     * once every program holding them is gone, and one left running in the background must not
     * hang jrun (runc does hang there).
     */
    static final Duration OUTPUT_GRACE = Duration.ofSeconds(1);

    private final HookProcessStarter starter;

    public HookRunner(HookProcessStarter starter) {
        this.starter = starter;
    }

    /** A runner for hooks that run in jrun's own namespaces. */
    public static HookRunner inRuntimeNamespace() {
        return new HookRunner(new RuntimeNamespaceStarter());
    }

    /**
     * Runs {@code hooks} in order and stops at the first that fails.
     *
     * @param state the state JSON each hook reads on stdin, e.g. {@code StateJson.toPrettyJson}
     * @throws HookFailedException naming the phase, the hook's pointer in config.json, its path
     *         and why, with the end of its stderr
     */
    public void run(HookPhase phase, List<Hook> hooks, byte[] state) {
        for (int i = 0; i < hooks.size(); i++) {
            runOne(phase, i, hooks.get(i), state);
        }
    }

    /**
     * Runs every one of {@code hooks} in order, whatever fails.
     *
     * @return the failures' messages (as {@link #run} would throw them), for the caller to log
     *         as warnings; empty when all succeeded
     */
    public List<String> runBestEffort(HookPhase phase, List<Hook> hooks, byte[] state) {
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < hooks.size(); i++) {
            try {
                runOne(phase, i, hooks.get(i), state);
            } catch (HookFailedException e) {
                warnings.add(e.getMessage());
            }
        }
        return List.copyOf(warnings);
    }

    private void runOne(HookPhase phase, int index, Hook hook, byte[] state) {
        String path = hook.path();
        String where = phase.specName() + " hook config.json " + phase.pointer() + "/" + index
                + " (" + (path == null ? "no path" : path) + ")";
        if (path == null || !path.startsWith("/")) {
            // The spec requires an absolute path, and a relative one would be looked up in
            // jrun's PATH, which is not the hook's.
            throw new HookFailedException(phase, index, where + " failed: cannot execute: path must be absolute");
        }
        Long timeout = hook.timeout();
        if (timeout != null && timeout <= 0) {
            throw new HookFailedException(phase, index,
                    where + " failed: timeout must be greater than zero, not " + timeout);
        }
        // Go's os/exec, hence runc, runs the path alone when args is empty.
        List<String> argv = hook.args().isEmpty() ? List.of(path) : hook.args();
        String nul = firstWithNul(path, argv, hook.env());
        if (nul != null) {
            throw new HookFailedException(phase, index, where + " failed: cannot execute: " + nul
                    + " holds a NUL byte, which execve cannot pass");
        }

        HookProcess process;
        try {
            process = starter.start(path, argv, environment(hook.env()));
        } catch (IOException | RuntimeException e) {
            throw new HookFailedException(phase, index, where + " failed: cannot execute: " + e.getMessage());
        }
        OutputTail stdout = OutputTail.drain(process.stdout(), OUTPUT_LIMIT, "hook-stdout");
        OutputTail stderr = OutputTail.drain(process.stderr(), OUTPUT_LIMIT, "hook-stderr");
        // A platform thread, as the drains: a blocked write(2) downcall would pin a carrier too.
        Thread.ofPlatform().daemon().name("hook-stdin").start(() -> feed(process.stdin(), state));

        String cause;
        try {
            HookExit exit = process.waitFor(timeout == null ? null : Duration.ofSeconds(timeout));
            if (exit == null) {
                process.kill();
                cause = "timed out after " + timeout + " s";
            } else if (exit.success()) {
                cause = null;
            } else {
                cause = exit.describe();
            }
            long deadline = System.nanoTime() + OUTPUT_GRACE.toNanos();
            stdout.await(deadline);
            stderr.await(deadline);
        } catch (InterruptedException e) {
            process.kill();
            Thread.currentThread().interrupt();
            throw new HookFailedException(phase, index, where + " failed: interrupted while waiting for it");
        }
        if (cause != null) {
            throw new HookFailedException(phase, index, where + " failed: " + cause + output(stdout, stderr));
        }
    }

    /**
     * The hook's environment as runc passes it: Go's os/exec drops empty entries and keeps only
     * the last of a repeated NAME=, where that last one stands; an entry without '=' is passed
     * as it is (measured with runc 1.1.5: A=1 B=2 A=3 NOEQ "" C=x gives B=2 A=3 NOEQ C=x).
     */
    static List<String> environment(List<String> env) {
        List<String> reversed = new ArrayList<>(env.size());
        Set<String> seen = new HashSet<>();
        for (int i = env.size() - 1; i >= 0; i--) {
            String entry = env.get(i);
            int eq = entry.indexOf('=');
            if (entry.isEmpty() || (eq >= 0 && !seen.add(entry.substring(0, eq)))) {
                continue;
            }
            reversed.add(entry);
        }
        return reversed.reversed();
    }

    /** Describes the first of the hook's strings that holds a NUL byte; null when none does. */
    private static String firstWithNul(String path, List<String> argv, List<String> env) {
        if (path.indexOf(0) >= 0) {
            return "its path";
        }
        for (int i = 0; i < argv.size(); i++) {
            if (argv.get(i).indexOf(0) >= 0) {
                return "args/" + i;
            }
        }
        for (int i = 0; i < env.size(); i++) {
            if (env.get(i).indexOf(0) >= 0) {
                return "env/" + i;
            }
        }
        return null;
    }

    /**
     * The end of stderr; of stdout only when stderr is empty (then it is the one explanation
     * there is), so that a hook that logs its progress to stdout does not bury the error.
     */
    private static String output(OutputTail stdout, OutputTail stderr) {
        String err = stderr.text();
        if (!err.isEmpty()) {
            return "; stderr: " + err;
        }
        String out = stdout.text();
        return out.isEmpty() ? "" : "; stdout: " + out;
    }

    private static void feed(OutputStream stdin, byte[] state) {
        try (stdin) {
            stdin.write(state);
        } catch (IOException e) {
            // EPIPE: the hook exited (or closed stdin) without reading the whole state, which
            // is its right; Go's os/exec, hence runc, ignores it too.
        }
    }
}
