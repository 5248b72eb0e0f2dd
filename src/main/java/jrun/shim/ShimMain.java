package jrun.shim;

import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import jrun.base.Log;
import jrun.base.Version;
import jrun.state.ContainerNotFoundException;
import jrun.base.Environment;
import jrun.sys.ProcessExit;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;
import jrun.ttrpc.ProtoWriter;
import jrun.ttrpc.TtrpcServer;

/**
 * {@code containerd-shim-jrun-v2}: containerd 1.6's shim v2 binary protocol. {@code start}
 * answers with the address of the group's shim, starting it when none serves; {@code delete}
 * cleans up after a shim that died; without an action it serves the task service.
 */
public final class ShimMain {
    /** State of the shim's containers: runc's shim uses /run/containerd/runc/NAMESPACE. */
    static final Path ROOT = Path.of("/run/containerd/jrun");
    private static final int PR_SET_CHILD_SUBREAPER = 36;
    /** How long start waits for a new shim to listen (a JVM start on a loaded machine). */
    private static final long START_TIMEOUT_MS = 30_000;
    /** What runc's shim reports for a container its delete had to kill: 128 + SIGKILL. */
    private static final int KILLED_STATUS = 137;

    private ShimMain() {}

    public static void main(String[] argv) {
        int status;
        try {
            status = run(ShimFlags.parse(Arrays.asList(argv)));
        } catch (Exception | Error e) {
            System.err.print("containerd-shim-jrun-v2: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            status = 1;
        }
        System.out.flush();
        System.err.flush();
        ProcessExit.exit(status);
    }

    private static int run(ShimFlags flags) throws Exception {
        if (flags.version()) {
            System.out.println("containerd-shim-jrun-v2:\n  Version:  " + Version.VERSION + "\n");
            return 0;
        }
        if (flags.namespace().isEmpty()) {
            throw new IllegalArgumentException("shim namespace cannot be empty");
        }
        return switch (flags.action()) {
            case "start" -> start(flags);
            case "delete" -> delete(flags);
            case "" -> serve(flags);
            default -> throw new IllegalArgumentException("unknown action " + flags.action());
        };
    }

    private static Path root(ShimFlags flags) {
        return ROOT.resolve(flags.namespace());
    }

    /** containerd runs start in the bundle; stdout is the address, and nothing else may be printed. */
    private static int start(ShimFlags flags) throws Exception {
        Path bundle = Path.of("").toAbsolutePath();
        String group = flags.id();
        try {
            group = ShimAddress.group(flags.id(), JrunRuntime.annotations(bundle));
        } catch (RuntimeException e) {
            // as runc's shim: a spec it cannot read puts the container in a group of its own
        }
        Path socket = ShimAddress.socketPath(flags.address(), flags.namespace(), group);
        if (!canConnect(socket)) {
            Files.deleteIfExists(socket);
            Files.createDirectories(socket.getParent());
            spawnServer(flags, socket, bundle);
        }
        String address = ShimAddress.uri(socket);
        Files.writeString(bundle.resolve("address"), address);
        System.out.print(address);
        return 0;
    }

    /**
     * Starts the serving shim as a process of its own (it makes itself a session leader): not
     * containerd's child, so it outlives containerd. Its stdio is /dev/null; it logs to the
     * bundle's {@code log} FIFO, which containerd reads.
     */
    private static void spawnServer(ShimFlags flags, Path socket, Path bundle) throws Exception {
        String launcher = Environment.get("JRUN_SHIM_LAUNCHER");
        if (launcher == null || launcher.isEmpty()) {
            throw new IllegalStateException("JRUN_SHIM_LAUNCHER is not set: run the shim through bin/containerd-shim-jrun-v2");
        }
        List<String> command = new ArrayList<>(List.of(launcher, "-namespace", flags.namespace(), "-id", flags.id(),
                "-address", flags.address(), "-publish-binary", flags.publishBinary(), "-socket", socket.toString()));
        if (flags.debug()) {
            command.add("-debug");
        }
        Process server = new ProcessBuilder(command).directory(bundle.toFile())
                .redirectInput(new File("/dev/null")).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + START_TIMEOUT_MS * 1_000_000;
        while (!canConnect(socket)) {
            if (!server.isAlive()) {
                // Another start of the same group may have won the socket meanwhile.
                if (canConnect(socket)) {
                    return;
                }
                throw new IllegalStateException("the shim exited with status " + server.exitValue()
                        + " before listening on " + socket);
            }
            if (System.nanoTime() > deadline) {
                server.destroyForcibly();
                throw new IllegalStateException("the shim did not listen on " + socket + " within "
                        + START_TIMEOUT_MS / 1000 + " s");
            }
            Thread.sleep(5);
        }
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
    private static int delete(ShimFlags flags) throws Exception {
        Path bundle = flags.bundle().isEmpty() ? Path.of("").toAbsolutePath() : Path.of(flags.bundle());
        Log log = Log.stderr();
        int pid = 0;
        try {
            pid = Integer.parseInt(Files.readString(bundle.resolve(JrunRuntime.INIT_PID_FILE)).trim());
        } catch (IOException | NumberFormatException e) {
            // no pid file: the container never got as far as its init
        }
        try {
            new JrunRuntime(root(flags), log).delete(flags.id(), true);
        } catch (ContainerNotFoundException e) {
            // already gone
        } catch (Exception e) {
            log.warn("delete " + flags.id() + ": " + e.getMessage());
        }
        RootfsMounts.unmountAll(bundle);
        removeDeadSocket(bundle);
        System.out.write(new ProtoWriter().uint(1, pid).uint(2, KILLED_STATUS).timestamp(3, Proc.nowNanos())
                .toByteArray());
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
                if (socket.startsWith(ShimAddress.SOCKET_DIR) && !canConnect(socket)) {
                    Files.deleteIfExists(socket);
                }
            }
        } catch (IOException e) {
            // no address file: no shim was started for this bundle
        }
    }

    private static int serve(ShimFlags flags) throws Exception {
        // A session of its own (containerd's start made it a process group leader's child, not a
        // leader: setsid succeeds), so that nothing aimed at containerd's session reaches it.
        Sys.attempt(SyscallNr.SETSID);
        Sys.call("become the containers' subreaper", SyscallNr.PRCTL, PR_SET_CHILD_SUBREAPER, 1);
        JrunRuntime.warmUp();
        Path bundle = Path.of("").toAbsolutePath();
        Log log = Files.exists(bundle.resolve("log")) ? Log.open(bundle.resolve("log").toString(), "text", flags.debug())
                : Log.stderr();
        Path socket = flags.socket().isEmpty()
                ? ShimAddress.socketPath(flags.address(), flags.namespace(), flags.id()) : Path.of(flags.socket());
        String ttrpcAddress = Environment.get("TTRPC_ADDRESS");
        Events events = new Events(ttrpcAddress == null || ttrpcAddress.isEmpty() ? null : Path.of(ttrpcAddress),
                flags.namespace(), log::warn);
        int pid = (int) Sys.call("getpid", SyscallNr.GETPID);
        TaskService service = new TaskService(new JrunRuntime(root(flags), log), events, pid);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        OrphanReaper.start();
        log.debug("shim " + pid + " serving " + socket);
        new TtrpcServer(Map.of(TaskService.NAME, service), log::debug, () -> {
            if (service.shutdownRequested()) {
                try {
                    Files.deleteIfExists(socket);
                } catch (IOException e) {
                    log.warn("cannot remove " + socket + ": " + e.getMessage());
                }
                ProcessExit.exit(0);
            }
        }).serve(server);
        return 0;
    }
}
