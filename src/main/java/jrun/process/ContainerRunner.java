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
        try (ContainerCreator.Created created = new ContainerCreator(store).create(request)) {
            ContainerState state = created.state();
            // (detached, a terminal needs a console socket: there is no master to relay)
            Foreground foreground = detach ? null : Foreground.attach(created.child().pidfd(), created.consoleMaster());
            try {
                ContainerStarter starter = new ContainerStarter(store, StatusProbe.system());
                // The init's report pipe closes on its execve: no need to watch /proc for it.
                starter.start(state.id(), s -> ChildLauncher.await(created.child(), 0));
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
