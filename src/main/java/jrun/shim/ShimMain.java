package jrun.shim;

import static jrun.sys.Kernel.O_RDWR;

import java.io.IOException;
import java.net.BindException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import jrun.base.Log;
import jrun.base.Version;
import jrun.process.ForkAttempts;
import jrun.state.ContainerNotFoundException;
import jrun.state.StateStore;
import jrun.base.Environment;
import jrun.sys.ProcessExit;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;
import jrun.ttrpc.ProtoWriter;
import jrun.ttrpc.TtrpcServer;

/**
 * {@code containerd-shim-jrun-v2}: containerd 1.6's shim v2 binary protocol. {@code start}
 * answers with the address of the group's shim, becoming it when none serves; {@code delete}
 * cleans up after a shim that died; without an action it serves the task service.
 */
public final class ShimMain {
    /** State of the shim's containers: runc's shim uses /run/containerd/runc/NAMESPACE. */
    static final Path ROOT = Path.of("/run/containerd/jrun");
    private static final int PR_SET_CHILD_SUBREAPER = 36;
    /** What runc's shim reports for a container its delete had to kill: 128 + SIGKILL. */
    private static final int KILLED_STATUS = 137;
    /** How long a refusing group socket may be a concurrent start's between its bind and its listen. */
    private static final long LISTEN_GRACE_MS = 1000;
    private static final long LISTEN_RETRY_MS = 10;
    /** How long an exiting shim waits for its last events (TaskDelete) to reach containerd. */
    private static final long EVENTS_FLUSH_MS = 5000;

    private ShimMain() {}

    public static void main(String[] argv) {
        long mainMicros = ShimTiming.on() ? ShimTiming.nowMicros() : 0;
        int status;
        try {
            status = run(ShimFlags.parse(Arrays.asList(argv)), mainMicros);
        } catch (Exception | Error e) {
            System.err.print("containerd-shim-jrun-v2: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            status = 1;
        }
        System.out.flush();
        System.err.flush();
        ProcessExit.exit(status);
    }

    private static int run(ShimFlags flags, long mainMicros) throws Exception {
        if (flags.version()) {
            System.out.println("containerd-shim-jrun-v2:\n  Version:  " + Version.VERSION + "\n");
            return 0;
        }
        if (flags.namespace().isEmpty()) {
            throw new IllegalArgumentException("shim namespace cannot be empty");
        }
        return switch (flags.action()) {
            case "start" -> start(flags, mainMicros);
            case "delete" -> delete(flags, mainMicros);
            case "" -> serve(flags);
            default -> throw new IllegalArgumentException("unknown action " + flags.action());
        };
    }

    private static Path root(ShimFlags flags) {
        return ROOT.resolve(flags.namespace());
    }

    /**
     * containerd runs start in the bundle and reads its combined output: the address, nothing
     * else. This JVM is the group's shim unless one already answers: it binds the group's
     * socket, prints the address as a line (the launcher, which ran it in the background, answers
     * containerd with it at once), lets go of its stdio and serves. One JVM start for the
     * group's first container, where spawning a serving JVM from a start JVM paid for two.
     */
    private static int start(ShimFlags flags, long mainMicros) throws Exception {
        Path bundle = Path.of("").toAbsolutePath();
        String group = flags.id();
        try {
            group = ShimAddress.group(flags.id(), JrunRuntime.annotations(bundle));
        } catch (RuntimeException e) {
            // as runc's shim: a spec it cannot read puts the container in a group of its own
        }
        Path socket = ShimAddress.socketPath(flags.address(), flags.namespace(), group);
        Files.createDirectories(socket.getParent());
        ServerSocketChannel server = ServingLock.held(socket) ? null : bindUnlessServed(socket);
        ServingLock lock = server == null ? null : ServingLock.take(socket);
        String address = ShimAddress.uri(socket);
        Files.writeString(bundle.resolve("address"), address);
        // A line: the launcher answers containerd as soon as it has read it (containerd trims it).
        System.out.print(address + "\n");
        System.out.flush();
        if (mainMicros != 0) {
            ShimTiming.subcommand("start", flags.id(), mainMicros);
        }
        if (server == null) {
            return 0;
        }
        detachStdio();
        return serve(flags, server, socket, lock);
    }

    /**
     * The group's socket bound and listening, or null when a shim of the group answers on it.
     * bind fails on an existing path, so of two starts of one group only one becomes its shim;
     * the socket of a shim that died (SIGKILL) is removed and bound again. A socket that refuses
     * connections may also be a concurrent start's, bound a moment before it listens: it counts
     * as dead only once it has refused them for {@link #LISTEN_GRACE_MS} (removing the winner's
     * socket then left two serving shims, one of which no container would ever reach or end).
     */
    private static ServerSocketChannel bindUnlessServed(Path socket) throws IOException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            if (canConnect(socket)) {
                return null;
            }
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                server.bind(UnixDomainSocketAddress.of(socket));
                return server;
            } catch (BindException e) {
                server.close();
                if (attempt > 0) {
                    throw new IOException("cannot listen on " + socket + ": " + e.getMessage(), e);
                }
                if (listensWithinGrace(socket)) {
                    return null;
                }
                Files.deleteIfExists(socket);
            }
        }
    }

    private static boolean listensWithinGrace(Path socket) throws InterruptedException {
        for (long waited = 0; waited < LISTEN_GRACE_MS; waited += LISTEN_RETRY_MS) {
            if (canConnect(socket)) {
                return true;
            }
            Thread.sleep(LISTEN_RETRY_MS);
        }
        return canConnect(socket);
    }

    /**
     * stdin, stdout and stderr onto /dev/null: the pipe to the launcher, which may be gone, is
     * not the serving shim's to write to; it logs to the bundle's log FIFO.
     */
    private static void detachStdio() {
        int devNull = Sys.open("/dev/null", O_RDWR);
        for (int fd = 0; fd <= 2; fd++) {
            Sys.call("put /dev/null on fd " + fd, SyscallNr.DUP3, devNull, fd, 0);
        }
        Sys.call("close /dev/null", SyscallNr.CLOSE, devNull);
    }

    private static boolean canConnect(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * After a shim died: delete the container as {@code jrun delete --force} does, unmount its
     * rootfs, and print containerd's DeleteResponse (pid 1, exit_status 2, exited_at 3).
     */
    private static int delete(ShimFlags flags, long mainMicros) throws Exception {
        Path bundle = flags.bundle().isEmpty() ? Path.of("").toAbsolutePath() : Path.of(flags.bundle());
        Log log = Log.stderr();
        int pid = 0;
        try {
            pid = Integer.parseInt(Files.readString(bundle.resolve(JrunRuntime.INIT_PID_FILE)).trim());
        } catch (IOException | NumberFormatException e) {
            // no pid file: the container never got as far as its init
        }
        // containerd runs delete after every shim's end, a clean Shutdown's too: then the
        // container, its rootfs mount and the socket are gone already, and this JVM neither
        // links FFM nor opens a socket (each tens of milliseconds of the container's removal).
        try {
            if (Files.exists(new StateStore(root(flags)).containerDir(flags.id()))) {
                new JrunRuntime(root(flags), log).delete(flags.id(), true);
            }
        } catch (ContainerNotFoundException e) {
            // already gone
        } catch (Exception e) {
            log.warn("delete " + flags.id() + ": " + e.getMessage());
        }
        if (RootfsMounts.mounted(bundle)) {
            RootfsMounts.unmountAll(bundle);
        }
        removeDeadSocket(bundle);
        System.out.write(new ProtoWriter().uint(1, pid).uint(2, KILLED_STATUS).timestamp(3, Proc.nowNanos())
                .toByteArray());
        if (mainMicros != 0) {
            ShimTiming.subcommand("delete", flags.id(), mainMicros);
        }
        return 0;
    }

    /**
     * The socket of a shim that died without its Shutdown (SIGKILL) stays behind; runc's shim
     * leaves it for the group's next start. Removed here unless a shim still answers on it (the
     * group's other containers).
     */
    private static void removeDeadSocket(Path bundle) {
        try {
            String address = Files.readString(bundle.resolve("address")).trim();
            if (address.startsWith("unix://")) {
                Path socket = Path.of(address.substring("unix://".length()));
                if (socket.startsWith(ShimAddress.SOCKET_DIR) && !ServingLock.held(socket) && !canConnect(socket)) {
                    Files.deleteIfExists(socket);
                    ServingLock.removeStale(socket);
                }
            }
        } catch (IOException e) {
            // no address file: no shim was started for this bundle
        }
    }

    /** Without an action: serve on {@code -socket}, or on the socket of the group named by {@code -id}. */
    private static int serve(ShimFlags flags) throws Exception {
        Path socket = flags.socket().isEmpty()
                ? ShimAddress.socketPath(flags.address(), flags.namespace(), flags.id()) : Path.of(flags.socket());
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return serve(flags, server, socket, null);
    }

    /** @param lock the group's {@link ServingLock}, or null (a socket given with {@code -socket}, or no lock taken) */
    private static int serve(ShimFlags flags, ServerSocketChannel server, Path socket, ServingLock lock)
            throws Exception {
        // A session of its own (the launcher ran it in the background of a non-interactive
        // shell: not a process group leader, so setsid succeeds), so that nothing aimed at
        // containerd's session reaches it; not containerd's child, so it outlives containerd.
        Sys.attempt(SyscallNr.SETSID);
        Sys.call("become the containers' subreaper", SyscallNr.PRCTL, PR_SET_CHILD_SUBREAPER, 1);
        if (ShimTiming.on()) {
            ShimTiming.takeStderr();
        }
        JrunRuntime.warmUp();
        Path bundle = Path.of("").toAbsolutePath();
        Log log = Files.exists(bundle.resolve("log")) ? Log.open(bundle.resolve("log").toString(), "text", flags.debug())
                : Log.stderr();
        ForkAttempts.logFrozenChildren(log::warn);
        String ttrpcAddress = Environment.get("TTRPC_ADDRESS");
        Events events = new Events(ttrpcAddress == null || ttrpcAddress.isEmpty() ? null : Path.of(ttrpcAddress),
                flags.namespace(), log::warn);
        int pid = (int) Sys.call("getpid", SyscallNr.GETPID);
        TaskService service = new TaskService(new JrunRuntime(root(flags), log), events, pid);
        OrphanReaper.start();
        log.debug("shim " + pid + " serving " + socket);
        new TtrpcServer(Map.of(TaskService.NAME, service), log::debug, () -> {
            if (service.shutdownRequested()) {
                if (lock != null) {
                    lock.release();
                }
                try {
                    Files.deleteIfExists(socket);
                } catch (IOException e) {
                    log.warn("cannot remove " + socket + ": " + e.getMessage());
                }
                try {
                    events.flush(EVENTS_FLUSH_MS);
                } catch (InterruptedException e) {
                    // exiting anyway
                }
                ProcessExit.exit(0);
            }
        }).serve(server);
        return 0;
    }
}
