package jrun.process;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static jrun.sys.Kernel.SIG_BLOCK;
import static jrun.sys.Kernel.SIG_SETMASK;
import static jrun.sys.Kernel.TIOCGPGRP;
import static jrun.sys.Kernel.TIOCGWINSZ;
import static jrun.sys.Kernel.TIOCSWINSZ;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jrun.linux.Signals;
import jrun.sys.Errno;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;
import sun.misc.Signal;

/**
 * A foreground {@code run} or {@code exec} with a terminal and no console socket: jrun relays
 * between its own stdio and the pty master, as runc does. When jrun's stdin is a terminal whose
 * foreground job is jrun's, it is put in raw mode (the container's line discipline does the
 * editing and echo) and restored afterwards, and its window size follows jrun's (SIGWINCH).
 *
 * <p>jrun may be a background job of that terminal (a shell that forks {@code timeout}, which
 * makes its own process group; {@code jrun run ... &}). Changing the terminal or reading it
 * from the background makes the kernel send SIGTTOU/SIGTTIN to jrun's process group and restart
 * the call, and jrun catches both (to forward them to the container): the call would restart
 * forever. So jrun leaves the terminal's modes alone while in the background, and every thread
 * that touches the terminal blocks those two signals, which the kernel takes as "let the change
 * through" (SIGTTOU) and "fail the read with EIO" (SIGTTIN); a background input relay waits for
 * the foreground instead.
 */
final class TerminalRelay implements AutoCloseable {
    private static final long TCGETS = 0x5401;
    private static final long TCSETS = 0x5402;
    private static final int TERMIOS_SIZE = 60;
    private static final int BUFFER = 8192;
    private static final long TTIN_TTOU = (1L << (Signals.parse("TTIN") - 1)) | (1L << (Signals.parse("TTOU") - 1));
    private static final int BACKGROUND_WAIT_MS = 100;

    private final int master;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment saved;
    private final boolean tty;
    private final Thread output;
    private Signal winch;

    private TerminalRelay(int master) {
        this.master = master;
        this.saved = arena.allocate(TERMIOS_SIZE, 8);
        boolean tty = Sys.attempt(SyscallNr.IOCTL, 0, TCGETS, saved.address()) == 0 && inForeground();
        if (tty) {
            makeRaw();
            resize();
            try {
                winch = new Signal("WINCH");
                Signal.handle(winch, s -> resize());
            } catch (IllegalArgumentException e) {
                winch = null;
            }
        }
        Thread.ofPlatform().daemon().name("terminal-in").start(() -> {
            blockTerminalSignals();
            copy(0, master);
        });
        output = Thread.ofPlatform().daemon().name("terminal-out").start(() -> {
            blockTerminalSignals();
            copy(master, 1);
        });
        this.tty = tty;
    }

    static TerminalRelay start(int master) {
        return new TerminalRelay(master);
    }

    /** Whether jrun's process group is the foreground job of the terminal on its stdin. */
    private static boolean inForeground() {
        return foregroundJob() == Sys.attempt(SyscallNr.GETPGID, 0);
    }

    /** Whether the terminal on jrun's stdin (still there) has another foreground job. */
    private static boolean inBackground() {
        long job = foregroundJob();
        return job >= 0 && job != Sys.attempt(SyscallNr.GETPGID, 0);
    }

    /** The foreground process group of the terminal on stdin, or -1 (none, or no terminal). */
    private static long foregroundJob() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pgrp = a.allocate(JAVA_INT);
            return Sys.attempt(SyscallNr.IOCTL, 0, TIOCGPGRP, pgrp.address()) == 0 ? pgrp.get(JAVA_INT, 0) : -1;
        }
    }

    /** SIGTTIN and SIGTTOU blocked on the calling thread (see the class comment). */
    private static void blockTerminalSignals() {
        signalMask(SIG_BLOCK, TTIN_TTOU);
    }

    /** Sets jrun's terminal's modes with SIGTTIN and SIGTTOU blocked on this thread meanwhile. */
    private void setModes(MemorySegment termios) {
        long before = signalMask(SIG_BLOCK, TTIN_TTOU);
        Sys.attempt(SyscallNr.IOCTL, 0, TCSETS, termios.address());
        signalMask(SIG_SETMASK, before);
    }

    /** rt_sigprocmask on the calling thread; returns its mask before. */
    private static long signalMask(long how, long set) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment in = a.allocate(JAVA_LONG);
            MemorySegment before = a.allocate(JAVA_LONG);
            in.set(JAVA_LONG, 0, set);
            Sys.attempt(SyscallNr.RT_SIGPROCMASK, how, in.address(), before.address(), 8);
            return before.get(JAVA_LONG, 0);
        }
    }

    /** cfmakeraw on jrun's stdin. */
    private void makeRaw() {
        MemorySegment t = arena.allocate(TERMIOS_SIZE, 8);
        MemorySegment.copy(saved, 0, t, 0, TERMIOS_SIZE);
        int iflag = t.get(JAVA_INT, 0) & ~(01 | 02 | 010 | 040 | 0100 | 0200 | 0400 | 02000);
        int oflag = t.get(JAVA_INT, 4) & ~01;
        int cflag = (t.get(JAVA_INT, 8) & ~(060 | 0400)) | 060;
        int lflag = t.get(JAVA_INT, 12) & ~(010 | 0100 | 02 | 01 | 0100000);
        t.set(JAVA_INT, 0, iflag);
        t.set(JAVA_INT, 4, oflag);
        t.set(JAVA_INT, 8, cflag);
        t.set(JAVA_INT, 12, lflag);
        t.set(JAVA_BYTE, 17 + 6, (byte) 1); // VMIN
        t.set(JAVA_BYTE, 17 + 5, (byte) 0); // VTIME
        setModes(t);
    }

    private void resize() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment size = a.allocate(8, 2);
            if (Sys.attempt(SyscallNr.IOCTL, 0, TIOCGWINSZ, size.address()) == 0) {
                Sys.attempt(SyscallNr.IOCTL, master, TIOCSWINSZ, size.address());
            }
        }
    }

    /** Copies until end of file or an error (EIO on the master once every slave is closed). */
    private static void copy(int from, int to) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(BUFFER);
            while (true) {
                long n = Sys.attempt(SyscallNr.READ, from, buf.address(), BUFFER);
                if (n == -Errno.EINTR) {
                    continue;
                }
                if (n == -Errno.EIO && from == 0 && inBackground()) {
                    try {
                        Thread.sleep(BACKGROUND_WAIT_MS);
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
                if (n <= 0) {
                    return;
                }
                long off = 0;
                while (off < n) {
                    long w = Sys.attempt(SyscallNr.WRITE, to, buf.address() + off, n - off);
                    if (w == -Errno.EINTR) {
                        continue;
                    }
                    if (w <= 0) {
                        return;
                    }
                    off += w;
                }
            }
        }
    }

    /** Lets the output drain (the process has exited), then restores jrun's terminal. */
    @Override
    public void close() {
        try {
            output.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (winch != null) {
            Signal.handle(winch, sun.misc.SignalHandler.SIG_DFL);
        }
        if (tty) {
            setModes(saved);
        }
        Sys.attempt(SyscallNr.CLOSE, master);
        arena.close();
    }
}
