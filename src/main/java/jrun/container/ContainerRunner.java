package jrun.container;

import jrun.base.Timing;
import jrun.process.ChildLauncher;
import jrun.process.Foreground;
import jrun.process.StepFailedException;
import jrun.rootless.RootlessMode;
import jrun.state.ContainerState;
import jrun.state.StateStore;
import jrun.sys.Reaper;

/**
 * {@code run} in the foreground: create, start, forward the signals jrun receives to the
 * container's process, and return its exit status (128 + signal when a signal ended it).
 */
public final class ContainerRunner {
    private final RootlessMode rootless;
    private final StateStore store;
    private final java.util.function.Consumer<String> warn;
    private final ContainerDeleter deleter;

    /**
     * @param warn where the config's warnings go (see ContainerCreator)
     * @param deleter removes the container this run created when a later step fails
     */
    public ContainerRunner(StateStore store, java.util.function.Consumer<String> warn, ContainerDeleter deleter,
                           RootlessMode rootless) {
        this.rootless = rootless;
        this.store = store;
        this.warn = warn;
        this.deleter = deleter;
    }

    /**
     * Returns the container process's exit status; with {@code detach}, 0 once it runs. With
     * {@code delete} (and without {@code detach}), deletes the container once its process has
     * exited, from the state in hand. A failure once the container exists destroys it, as
     * runc's run does: its init killed, its cgroup and state removed. A failed create has
     * cleaned up after itself, and removes nothing else: the id may be another container's
     * ("container with id exists").
     */
    public int run(ContainerCreator.Request request, boolean detach, boolean delete) throws Exception {
        // Taken before the create, as runc's run does (detached, a terminal needs a console
        // socket: there is no master to relay, and no signal is jrun's to forward).
        Foreground foreground = detach ? null : Foreground.queueing();
        try {
            ContainerCreator.Created created = new ContainerCreator(store, warn, rootless).createLocked(request);
            int status;
            try {
                status = runCreated(created, foreground);
            } catch (RuntimeException | Error e) {
                destroy(created.state(), e);
                throw e;
            }
            Timing.mark("container process exited");
            if (delete && !detach) {
                deleter.delete(created.state());
                Timing.mark("container deleted");
            }
            return status;
        } finally {
            if (foreground != null) {
                foreground.close();
            }
        }
    }

    private void destroy(ContainerState state, Throwable failure) {
        try {
            deleter.delete(state);
        } catch (Exception | Error e) {
            failure.addSuppressed(e);
        }
    }

    private int runCreated(ContainerCreator.Created created, Foreground foreground) {
        try (created) {
            ContainerState state = created.state();
            ContainerStarter starter = new ContainerStarter(store, StatusProbe.system());
            try {
                // Started under the lock create took (no reload), released once the process runs
                // so that kill and delete can reach it; the init's report pipe closes on its execve.
                try {
                    starter.startCreated(created.lock(), state, s -> ChildLauncher.await(created.child(), 0));
                } finally {
                    created.lock().close();
                }
                Timing.mark("container process exec'd");
                if (foreground == null) {
                    return 0;
                }
                foreground.forwardTo(created.child().pidfd(), created.consoleMaster());
                return Reaper.waitExit(created.child().pidfd());
            } catch (StepFailedException e) {
                Reaper.waitExit(created.child().pidfd());
                throw e;
            }
        }
    }
}
