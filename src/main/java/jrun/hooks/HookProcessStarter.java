package jrun.hooks;

import java.io.IOException;
import java.util.List;

/**
 * Starts a hook's process. The seam between {@link HookRunner}, which is the same for every
 * phase, and where the hook runs: {@link RuntimeNamespaceStarter} for the hooks that run in
 * jrun's namespaces ({@code prestart}, {@code createRuntime}, {@code poststart},
 * {@code poststop}); {@code jrun.process.ContainerHookStarter} for those in the container's.
 */
@FunctionalInterface
public interface HookProcessStarter {
    /**
     * Starts {@code path} with stdin, stdout and stderr as pipes.
     *
     * @param path the program, absolute (the runner checks)
     * @param argv its arguments including argv[0], never empty
     * @param env its environment, exactly (as {@link HookRunner} made it): nothing is inherited
     * @throws IOException when it cannot be executed; the message is the reason alone, e.g.
     *         "ENOENT (No such file or directory)", since the runner names the hook around it
     */
    HookProcess start(String path, List<String> argv, List<String> env) throws IOException;
}
