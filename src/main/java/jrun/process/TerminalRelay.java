package jrun.process;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static jrun.sys.Kernel.TIOCGWINSZ;
import static jrun.sys.Kernel.TIOCSWINSZ;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jrun.sys.Errno;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;
import sun.misc.Signal;

/**
 * A foreground {@code run} or {@code exec} with a terminal and no console socket: jrun relays
 * between its own stdio and the pty master, as runc does. When jrun's stdin is a terminal it
 * is put in raw mode (the container's line discipline does the editing and echo) and restored
 * afterwards, and its window size follows jrun's (SIGWINCH).
 */
final class TerminalRelay implements AutoCloseable {
    private static final long TCGETS = 0x5401;
    private static final long TCSETS = 0x5402;
    private static final int TERMIOS_SIZE = 60;
    private static final int BUFFER = 8192;

    private final int master;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment saved;
    private final boolean tty;
    private final Thread output;
    private Signal winch;

    private TerminalRelay(int master) {
        this.master = master;
        this.saved = arena.allocate(TERMIOS_SIZE, 8);
        boolean tty = Sys.attempt(SyscallNr.IOCTL, 0, TCGETS, saved.address()) == 0;
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
        Thread.ofPlatform().daemon().name("terminal-in").start(() -> copy(0, master));
        output = Thread.ofPlatform().daemon().name("terminal-out").start(() -> copy(master, 1));
        this.tty = tty;
    }

    static TerminalRelay start(int master) {
        return new TerminalRelay(master);
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
        Sys.attempt(SyscallNr.IOCTL, 0, TCSETS, t.address());
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
            Sys.attempt(SyscallNr.IOCTL, 0, TCSETS, saved.address());
        }
        Sys.attempt(SyscallNr.CLOSE, master);
        arena.close();
    }
}
