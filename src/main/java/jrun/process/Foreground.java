package jrun.process;

import java.util.ArrayList;
import java.util.List;
import jrun.linux.Signals;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;
import sun.misc.Signal;

/**
 * jrun in the foreground of a container's process ({@code run}, {@code exec} without
 * {@code -d}): the signals a terminal or a supervisor sends jrun go to the process, and a
 * terminal without a console socket is relayed by jrun. Closing puts jrun's own back.
 *
 * <p>The signals can be taken before the process exists ({@link #queueing}), as runc's run does:
 * one that arrives while the container is being created is queued and forwarded once the
 * process runs, instead of killing jrun half-way through the create.
 */
public final class Foreground implements AutoCloseable {
    /** Signals that belong to the container's process, not to jrun. */
    private static final List<String> FORWARDED = List.of("INT", "TERM", "HUP", "QUIT", "USR1", "USR2", "WINCH",
            "ALRM", "CONT", "TSTP", "TTIN", "TTOU", "PIPE", "URG", "PROF", "VTALRM", "PWR", "SYS");
    private static final int SIGWINCH = Signals.parse("WINCH");

    private final List<Signal> installed = new ArrayList<>();
    /** Received before {@link #forwardTo}; guarded by this. */
    private final List<Integer> queued = new ArrayList<>();
    /** The process's pidfd once forwarding, else -1; guarded by this. */
    private int pidfd = -1;
    /** With a relayed terminal, SIGWINCH is the relay's; guarded by this. */
    private boolean relaysWinch;
    private boolean closed;
    private TerminalRelay terminal;

    private Foreground() {}

    /**
     * Takes jrun's forwardable signals from now on and queues them until {@link #forwardTo}.
     * Installing the 18 handlers is slow interpreted: {@code run} does it while its
     * other thread links the FFM handles, off the path to the container's start.
     */
    public static Foreground queueing() {
        Foreground foreground = new Foreground();
        for (String name : FORWARDED) {
            try {
                Signal signal = new Signal(name);
                int number = Signals.parse(name);
                Signal.handle(signal, s -> foreground.received(number));
                foreground.installed.add(signal);
            } catch (IllegalArgumentException e) {
                // the JVM keeps this signal for itself (e.g. QUIT for thread dumps): not forwarded
            }
        }
        return foreground;
    }

    /** Forwards to {@code pidfd} from the start; see {@link #forwardTo}. */
    public static Foreground attach(int pidfd, int master) {
        Foreground foreground = queueing();
        foreground.forwardTo(pidfd, master);
        return foreground;
    }

    /**
     * Forwards the queued signals, then every later one, to the process.
     *
     * @param master the pty master to relay (closed by {@link #close}), or -1 without a terminal:
     *               with one, SIGWINCH is the relay's (it resizes the pty, which signals the
     *               process itself), and a queued one is dropped (the relay sizes the pty first)
     */
    public void forwardTo(int pidfd, int master) {
        synchronized (this) {
            this.pidfd = pidfd;
            relaysWinch = master >= 0;
            for (int number : queued) {
                forward(number);
            }
            queued.clear();
        }
        if (master >= 0) {
            terminal = TerminalRelay.start(master);
        }
    }

    /** On the JVM's signal-handler thread. */
    private synchronized void received(int number) {
        if (closed) {
            return;
        }
        if (pidfd < 0) {
            queued.add(number);
        } else {
            forward(number);
        }
    }

    /** Under the lock: close cannot take the pidfd away (and its number reused) meanwhile. */
    private void forward(int number) {
        if (number != SIGWINCH || !relaysWinch) {
            Sys.attempt(SyscallNr.PIDFD_SEND_SIGNAL, pidfd, number, 0, 0);
        }
    }

    /** Lets a relayed terminal drain and restores it, and gives jrun its signals back. */
    @Override
    public void close() {
        if (terminal != null) {
            terminal.close();
        }
        synchronized (this) {
            closed = true;
        }
        for (Signal s : installed) {
            Signal.handle(s, sun.misc.SignalHandler.SIG_DFL);
        }
    }
}
