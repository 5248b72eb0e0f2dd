package jrun.process;

import java.util.ArrayList;
import java.util.List;
import jrun.linux.Signals;
import sun.misc.Signal;

/**
 * jrun in the foreground of a container's process ({@code run}, {@code exec} without
 * {@code -d}): the signals a terminal or a supervisor sends jrun go to the process, and a
 * terminal without a console socket is relayed by jrun. Closing puts jrun's own back.
 */
final class Foreground implements AutoCloseable {
    /** Signals that belong to the container's process, not to jrun. */
    private static final List<String> FORWARDED = List.of("INT", "TERM", "HUP", "QUIT", "USR1", "USR2", "WINCH",
            "ALRM", "CONT", "TSTP", "TTIN", "TTOU", "PIPE", "URG", "PROF", "VTALRM", "PWR", "SYS");

    private final List<Signal> forwarded;
    private final TerminalRelay terminal;

    private Foreground(List<Signal> forwarded, TerminalRelay terminal) {
        this.forwarded = forwarded;
        this.terminal = terminal;
    }

    /**
     * @param master the pty master to relay (closed by {@link #close}), or -1 without a terminal:
     *               with one, SIGWINCH is the relay's (it resizes the pty, which signals the
     *               process itself)
     */
    static Foreground attach(int pidfd, int master) {
        List<Signal> installed = new ArrayList<>();
        for (String name : FORWARDED) {
            if (master >= 0 && name.equals("WINCH")) {
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
        return new Foreground(installed, master >= 0 ? TerminalRelay.start(master) : null);
    }

    /** Lets a relayed terminal drain and restores it, and gives jrun its signals back. */
    @Override
    public void close() {
        if (terminal != null) {
            terminal.close();
        }
        for (Signal s : forwarded) {
            Signal.handle(s, sun.misc.SignalHandler.SIG_DFL);
        }
    }
}
