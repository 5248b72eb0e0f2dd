package jrun.hooks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts hooks from jrun's own namespaces with {@link ProcessBuilder}. What that costs against
 * runc, which execs the hook itself:
 * <ul>
 * <li>argv[0] is always {@code path}: ProcessBuilder has no way to set it apart, so
 *     {@code args[0]} is not passed (runc passes it). Only hooks that look at their own name
 *     (busybox-style multi-call binaries) notice.
 * <li>The environment is a map: entries must be NAME=VALUE, a repeated name keeps its last
 *     value (as Go's os/exec, hence runc, does too) and the order is not kept.
 * <li>A process killed by a signal shows as exit status 128+signal (see {@link HookExit}).
 * <li>A file that is not an executable format is run by /bin/sh, as execvp(3) does; runc
 *     fails with "exec format error".
 * </ul>
 * The hook inherits jrun's working directory, as in runc, and none of its other descriptors
 * (the JDK closes them in the child).
 */
public final class RuntimeNamespaceStarter implements HookProcessStarter {
    @Override
    public HookProcess start(String path, List<String> argv, List<String> env) throws IOException {
        List<String> command = new ArrayList<>(argv.size());
        command.add(path);
        command.addAll(argv.subList(1, argv.size()));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.clear();
        for (String entry : env) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IOException("environment entry \"" + entry + "\" is not NAME=VALUE");
            }
            try {
                environment.put(entry.substring(0, eq), entry.substring(eq + 1));
            } catch (IllegalArgumentException e) {
                // The JDK refuses a NUL byte, which execve could not pass either.
                throw new IOException("environment entry \"" + entry + "\" holds a NUL byte");
            }
        }
        try {
            return new JdkHookProcess(builder.start());
        } catch (IOException e) {
            throw new IOException(reason(e), e);
        }
    }

    // The JDK says: Cannot run program "/x": Exec failed, error: 2 (No such file or directory)
    // (older JDKs: error=2, No such file or directory); the hook's name is the runner's to give.
    private static final Pattern ERRNO_TEXT = Pattern.compile("error[:=] ?\\d+(?:, | \\()([^)]*)\\)?\\s*$");

    static String reason(IOException e) {
        String message = e.getCause() != null && e.getCause().getMessage() != null
                ? e.getCause().getMessage() : String.valueOf(e.getMessage());
        Matcher m = ERRNO_TEXT.matcher(message);
        return m.find() ? m.group(1).strip() : message.strip();
    }

    private record JdkHookProcess(Process process) implements HookProcess {
        @Override
        public OutputStream stdin() {
            return process.getOutputStream();
        }

        @Override
        public InputStream stdout() {
            return process.getInputStream();
        }

        @Override
        public InputStream stderr() {
            return process.getErrorStream();
        }

        @Override
        public HookExit waitFor(Duration timeout) throws InterruptedException {
            if (timeout == null) {
                return HookExit.exited(process.waitFor());
            }
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS) ? HookExit.exited(process.exitValue()) : null;
        }

        @Override
        public void kill() {
            // The descendants are listed before the hook dies, while they are still found
            // under it (once orphaned they are not), and the hook is killed first so that it
            // starts nothing new. Best effort: one that daemonised is out of reach, as with
            // runc, which kills only the hook.
            List<ProcessHandle> descendants = process.descendants().toList();
            process.destroyForcibly();
            descendants.forEach(ProcessHandle::destroyForcibly);
            boolean interrupted = false;
            while (true) {
                try {
                    process.waitFor();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
