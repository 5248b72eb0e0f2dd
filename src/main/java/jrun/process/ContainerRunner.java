package jrun.process;

import jrun.state.ContainerState;
import jrun.state.StateStore;
import jrun.state.StatusProbe;

/**
 * {@code run} in the foreground: create, start, forward the signals jrun receives to the
 * container's process, and return its exit status (128 + signal when a signal ended it).
 */
public final class ContainerRunner {
    private final StateStore store;
    private final java.util.function.Consumer<String> warn;

    /** @param warn where failures that do not fail the run go (poststart hooks) */
    public ContainerRunner(StateStore store, java.util.function.Consumer<String> warn) {
        this.store = store;
        this.warn = warn;
    }

    /** Returns the container process's exit status; with {@code detach}, 0 once it runs. */
    public int run(ContainerCreator.Request request, boolean detach) {
        try (ContainerCreator.Created created = new ContainerCreator(store).createLocked(request)) {
            ContainerState state = created.state();
            // (detached, a terminal needs a console socket: there is no master to relay)
            Foreground foreground = detach ? null : Foreground.attach(created.child().pidfd(), created.consoleMaster());
            try {
                ContainerStarter starter = new ContainerStarter(store, StatusProbe.system());
                // Started under the lock create took (no reload), released once the process runs
                // so that kill and delete can reach it; the init's report pipe closes on its execve.
                try {
                    starter.startCreated(created.lock(), state, s -> ChildLauncher.await(created.child(), 0));
                } finally {
                    created.lock().close();
                }
                jrun.cli.Timing.mark("container process exec'd");
                starter.warnings().forEach(warn);
                if (detach) {
                    return 0;
                }
                return Reaper.waitExit(created.child().pidfd());
            } catch (StepFailedException e) {
                Reaper.waitExit(created.child().pidfd());
                throw e;
            } finally {
                if (foreground != null) {
                    foreground.close();
                }
            }
        }
    }
}
