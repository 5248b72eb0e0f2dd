package jrun.process;

import java.util.ArrayList;
import java.util.List;
import jrun.linux.Signals;
import jrun.state.ContainerState;
import jrun.state.StateStore;
import jrun.state.StatusProbe;
import sun.misc.Signal;

/**
 * {@code run} in the foreground: create, start, forward the signals jrun receives to the
 * container's process, and return its exit status (128 + signal when a signal ended it).
 */
public final class ContainerRunner {
    /** Signals a terminal or a supervisor sends that belong to the container, not to jrun. */
    private static final List<String> FORWARDED = List.of("INT", "TERM", "HUP", "QUIT", "USR1", "USR2", "WINCH",
            "ALRM", "CONT", "TSTP", "TTIN", "TTOU", "PIPE", "URG", "PROF", "VTALRM", "PWR", "SYS");

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
            boolean relay = created.consoleMaster() >= 0;
            List<Signal> installed = detach ? List.of() : forwardSignals(created.child().pidfd(), relay);
            TerminalRelay terminal = relay ? TerminalRelay.start(created.consoleMaster()) : null;
            try {
                ContainerStarter starter = new ContainerStarter(store, StatusProbe.system());
                starter.start(state.id());
                starter.warnings().forEach(warn);
                ChildLauncher.await(created.child(), 0);
                jrun.cli.Timing.mark("container process exec'd");
                if (detach) {
                    return 0;
                }
                return Reaper.waitExit(created.child().pidfd());
            } catch (StepFailedException e) {
                Reaper.waitExit(created.child().pidfd());
                throw e;
            } finally {
                if (terminal != null) {
                    terminal.close();
                }
                unforward(installed);
            }
        }
    }

    /**
     * Forwards jrun's signals to the process behind {@code pidfd}; with a relayed terminal,
     * SIGWINCH is the relay's (it resizes the pty, which signals the process itself).
     */
    static List<Signal> forwardSignals(int pidfd, boolean terminal) {
        List<Signal> installed = new ArrayList<>();
        for (String name : FORWARDED) {
            if (terminal && name.equals("WINCH")) {
                continue;
            }
            try {
                Signal signal = new Signal(name);
                int number = Signals.parse(name);
                Signal.handle(signal, s -> jrun.sys.Sys.attempt(jrun.sys.SyscallNr.PIDFD_SEND_SIGNAL, pidfd,
                        number, 0, 0));
                installed.add(signal);
            } catch (IllegalArgumentException e) {
                // the JVM keeps this signal for itself (e.g. QUIT for thread dumps): not forwarded
            }
        }
        return installed;
    }

    static void unforward(List<Signal> installed) {
        for (Signal s : installed) {
            Signal.handle(s, sun.misc.SignalHandler.SIG_DFL);
        }
    }
}
