package jrun.shim;

import static jrun.sys.Kernel.F_SETFL;
import static jrun.sys.Kernel.O_APPEND;
import static jrun.sys.Kernel.O_CREAT;
import static jrun.sys.Kernel.O_NONBLOCK;
import static jrun.sys.Kernel.O_RDONLY;
import static jrun.sys.Kernel.O_RDWR;
import static jrun.sys.Kernel.O_WRONLY;
import static jrun.sys.Kernel.TIOCSWINSZ;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.URI;
import jrun.sys.FdInputStream;
import jrun.sys.FdOutputStream;
import jrun.sys.Pipe;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;
import jrun.ttrpc.Code;
import jrun.ttrpc.RpcException;

/**
 * A process's stdio as containerd gives it: paths of FIFOs containerd has open at the other end
 * (or empty for none); or, as stdout's URI says for both outputs (containerd's pkg/process/io.go
 * decides the same way), {@code file://PATH}, appended to by stdout and stderr alike, or
 * {@code binary://PATH?ARGS}, a {@link LoggingBinary} reading them (ctr's {@code --log-uri}). stdout and stderr are opened here and handed to the process itself, so
 * containerd sees their end when the process's last copy closes. stdin goes through a pipe this
 * shim feeds from the FIFO: the FIFO's writer may come later than the process's first read
 * (which would be an end of file), and CloseIO must be able to end it. As runc's shim does, this
 * shim opens the stdin FIFO when the process is made, for reading and for writing: what the client
 * writes waits in the FIFO until the relay starts, and the shim's writer keeps the FIFO from its
 * end of file until CloseIO (or delete) closes it. The relay copies to that end of file and only
 * then closes the process's pipe: a client closes its FIFO and sends CloseIO at once, and closing
 * the pipe on CloseIO lost what the relay had not copied yet (and could close an fd the relay was
 * about to write). With a terminal the shim relays between the FIFOs and the pty master instead.
 */
final class Stdio {

    final String stdin;
    final String stdout;
    final String stderr;
    final boolean terminal;
    /** The process's fds 0-2 until it has them; closed here once it has. */
    private final int[] forProcess = {-1, -1, -1};
    /** Where the shim writes the process's stdin (pipe or pty master), -1 once closed. */
    private int stdinSink = -1;
    /** The stdin FIFO's read end, the relay's once it runs, -1 without one. */
    private int stdinFifo = -1;
    /** The shim's writer of the stdin FIFO until CloseIO or delete, else -1. */
    private int stdinKeeper = -1;
    /** The relay owns {@link #stdinFifo} and {@link #stdinSink} (it closes both at the end of file). */
    private boolean relayingStdin;
    /** The terminal's master, -1 without one or once its output has ended. */
    private int master = -1;
    /** The pid of the process's logging binary (binary://), 0 without one or once told to finish. */
    private int logger;
    /** What stdout's URI asks for, set by {@link #open}: {@code fifo}, {@code file} or {@code binary}. */
    private volatile String output = "fifo";

    Stdio(String stdin, String stdout, String stderr, boolean terminal) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.terminal = terminal;
    }

    /**
     * Opens what the process gets as fds 0-2 (none with a terminal); a logging binary is started
     * with {@code processId} (the container's id for its init, else the exec id) and the namespace.
     */
    int[] open(String processId, String namespace) throws RpcException, IOException {
        output = outputScheme();
        if (terminal) {
            if (output.equals("binary")) {
                throw new RpcException(Code.UNIMPLEMENTED, "a terminal with a binary:// stdio URI is not supported by jrun's shim");
            }
            return new int[0];
        }
        try {
            if (stdin.isEmpty()) {
                forProcess[0] = Sys.open("/dev/null", O_RDWR);
            } else {
                Pipe pipe = Pipe.open("the process's stdin");
                forProcess[0] = pipe.read();
                stdinSink = pipe.write();
                openStdinFifo();
            }
            switch (output) {
                case "file" -> {
                    forProcess[1] = appendTo(filePath());
                    forProcess[2] = appendTo(filePath());
                }
                case "binary" -> {
                    LoggingBinary.Started binary = LoggingBinary.start(URI.create(stdout), processId, namespace);
                    synchronized (this) {
                        logger = binary.pid();
                    }
                    forProcess[1] = binary.stdout();
                    forProcess[2] = binary.stderr();
                }
                default -> {
                    forProcess[1] = stdout.isEmpty() ? Sys.open("/dev/null", O_RDWR) : Sys.open(stdout, O_WRONLY);
                    forProcess[2] = stderr.isEmpty() ? Sys.open("/dev/null", O_RDWR) : Sys.open(stderr, O_WRONLY);
                }
            }
        } catch (RpcException | IOException | RuntimeException e) {
            closeAll();
            throw e;
        }
        return forProcess.clone();
    }

    /** The process has its copies now: the shim's go, and stdin starts flowing. */
    void handedOver() {
        closeForProcess();
        int sink;
        int fifo;
        synchronized (this) {
            sink = stdinSink;
            fifo = stdinFifo;
            relayingStdin = sink >= 0;
        }
        if (sink >= 0) {
            relay("stdin", () -> new FdInputStream(fifo), sink, this::stdinEnded);
        }
    }

    /**
     * Relays a terminal: its output to the stdout FIFO (closed when the terminal's output ends,
     * which containerd takes as the end of the output), the stdin FIFO to it.
     */
    void attach(int consoleMaster) {
        synchronized (this) {
            master = consoleMaster;
        }
        Thread.ofPlatform().daemon().name("stdio terminal output").start(() -> {
            try (OutputStream out = stdout.isEmpty() ? OutputStream.nullOutputStream()
                    : output.equals("file") ? new FileOutputStream(filePath(), true) : new FileOutputStream(stdout)) {
                // Not closed as a stream: closeMaster closes the master, under the lock ResizePty takes.
                copy(new FdInputStream(consoleMaster), out);
            } catch (IOException e) {
                // EIO: every copy of the terminal's peer is closed, the processes are gone
            } finally {
                closeMaster();
            }
        });
        if (!stdin.isEmpty()) {
            relay("terminal input", () -> new FileInputStream(stdin), consoleMaster, () -> { });
        }
    }

    /**
     * ResizePty: TIOCSWINSZ on the master; false for a process without a terminal. Once the
     * terminal has closed (its processes gone) there is nothing left to resize, and no error:
     * containerd's clients resize on SIGWINCH until they have seen the exit.
     */
    synchronized boolean resize(int width, int height) {
        if (master < 0) {
            return terminal;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(8, 2);
            size.set(ValueLayout.JAVA_SHORT, 0, (short) height);
            size.set(ValueLayout.JAVA_SHORT, 2, (short) width);
            Sys.call("resize the terminal", SyscallNr.IOCTL, master, TIOCSWINSZ, size.address());
        }
        return true;
    }

    /**
     * The stdin FIFO's read end, then the shim's writer (non-blocking opens: the read end is
     * there for it), then the read end made blocking for the relay.
     */
    private void openStdinFifo() {
        stdinFifo = Sys.open(stdin, O_RDONLY | O_NONBLOCK);
        stdinKeeper = Sys.open(stdin, O_WRONLY | O_NONBLOCK);
        Sys.call("make the stdin FIFO blocking", SyscallNr.FCNTL, stdinFifo, F_SETFL, 0);
    }

    /**
     * CloseIO: the shim's writer of the stdin FIFO closes, so the process reads the end of its
     * stdin once the client's writers are closed too and what they wrote is copied (a terminal's
     * input relay just stops).
     */
    synchronized void closeStdin() {
        close(stdinKeeper);
        stdinKeeper = -1;
        if (terminal) {
            stdinSink = -1;
        }
    }

    /** The relay reached the FIFO's end of file: the process's stdin pipe closes. */
    private synchronized void stdinEnded() {
        close(stdinSink);
        stdinSink = -1;
        stdinFifo = -1;
    }

    /** Undoes {@link #open} after a failed start. */
    void closeAll() {
        closeForProcess();
        closeStdin();
        synchronized (this) {
            if (!relayingStdin) {
                close(stdinFifo);
                stdinEnded();
            }
        }
        closeMaster();
        release();
    }

    /**
     * The process is deleted: the shim's writer of the stdin FIFO closes (a relay still waiting
     * ends with the client's writers), and its logging binary, if any, is told to finish (SIGTERM).
     */
    synchronized void release() {
        close(stdinKeeper);
        stdinKeeper = -1;
        if (logger > 0) {
            LoggingBinary.stop(logger);
            logger = 0;
        }
    }

    /**
     * How stdout's URI asks for the output: {@code fifo} for a path (or no scheme), {@code file},
     * {@code binary}; containerd's other schemes are refused, as by runc's shim.
     */
    private String outputScheme() throws RpcException {
        if (stdout.isEmpty() || stdout.startsWith("/")) {
            return "fifo";
        }
        String scheme;
        try {
            scheme = URI.create(stdout).getScheme();
        } catch (IllegalArgumentException e) {
            throw new RpcException(Code.INVALID_ARGUMENT, "stdout " + stdout + ": not a path or a URI: " + e.getMessage());
        }
        if (scheme == null || scheme.equals("fifo")) {
            return "fifo";
        }
        if (!scheme.equals("file") && !scheme.equals("binary")) {
            throw new RpcException(Code.INVALID_ARGUMENT, "unknown STDIO scheme " + scheme);
        }
        return scheme;
    }

    /** A file:// URI's path, its directory made as runc's shim makes it (0755). */
    private String filePath() throws IOException {
        java.nio.file.Path path = java.nio.file.Path.of(URI.create(stdout).getPath());
        java.nio.file.Files.createDirectories(path.getParent());
        return path.toString();
    }

    private static int appendTo(String path) {
        return Sys.open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    }

    private void closeForProcess() {
        for (int i = 0; i < forProcess.length; i++) {
            close(forProcess[i]);
            forProcess[i] = -1;
        }
    }

    private synchronized void closeMaster() {
        close(master);
        master = -1;
    }

    private interface Opener {
        InputStream open() throws IOException;
    }

    /**
     * Copies into {@code sinkFd} on a thread of its own (a FIFO's open blocks until containerd's
     * side is there); the sink is not closed here but by {@code atEnd}'s owner.
     */
    private void relay(String what, Opener from, int sinkFd, Runnable atEnd) {
        Thread.ofPlatform().daemon().name("stdio " + what).start(() -> {
            try (InputStream in = from.open()) {
                copy(in, new FdOutputStream(sinkFd));
            } catch (IOException e) {
                // the sink went away (the process closed its stdin, or CloseIO closed ours)
            } finally {
                atEnd.run();
            }
        });
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[32 * 1024];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            out.write(buffer, 0, n);
        }
    }

    private static void close(int fd) {
        if (fd >= 0) {
            Sys.attempt(SyscallNr.CLOSE, fd);
        }
    }
}
