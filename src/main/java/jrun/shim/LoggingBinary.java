package jrun.shim;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import jrun.sys.Errno;
import jrun.sys.Kernel;
import jrun.sys.Pipe;
import jrun.sys.Poll;
import jrun.sys.PosixSpawn;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;
import jrun.ttrpc.Code;
import jrun.ttrpc.RpcException;

/**
 * A {@code binary://PATH?KEY=VALUE...} stdio URI (ctr's {@code --log-uri}), as runc's shim starts
 * it (containerd's pkg/process/io.go): PATH with the query's keys and first values as arguments,
 * {@code CONTAINER_ID} and {@code CONTAINER_NAMESPACE} as its environment, the read ends of the
 * process's stdout and stderr pipes as its fds 3 and 4, and a pipe as fd 5 that it closes (or
 * writes to) once it is ready; the process starts only then. At the process's deletion the
 * binary gets SIGTERM, as from runc's shim.
 */
final class LoggingBinary {
    private static final int SIGTERM = 15;
    private static final int SIGKILL = 9;
    /** The binary's fds: 0-2 /dev/null, then stdout's and stderr's read ends and the ready pipe. */
    private static final int FDS = 6;
    private static final int READY_TIMEOUT_MS = 60_000;

    /** The started binary, and the write ends the process gets as its stdout and stderr. */
    record Started(int pid, int stdout, int stderr) {}

    private LoggingBinary() {}

    static Started start(URI uri, String containerId, String namespace) throws RpcException {
        if (uri.getPath() == null || uri.getPath().isEmpty()) {
            throw new RpcException(Code.INVALID_ARGUMENT, "stdio URI " + uri + ": no binary path");
        }
        List<String> argv = new ArrayList<>(List.of(uri.getPath()));
        argv.addAll(arguments(uri.getRawQuery()));
        List<String> env = List.of("CONTAINER_ID=" + containerId, "CONTAINER_NAMESPACE=" + namespace);
        List<Integer> opened = new ArrayList<>();
        try {
            Pipe out = pipe("the logging binary's stdout", opened);
            Pipe err = pipe("the logging binary's stderr", opened);
            Pipe ready = pipe("the logging binary's ready pipe", opened);
            int devNull = devNull(opened);
            int pid = PosixSpawn.spawn(uri.getPath(), argv, env,
                    new int[] {devNull, devNull, devNull, out.read(), err.read(), ready.write()});
            if (pid < 0) {
                throw new RpcException(Code.UNKNOWN, "failed to start binary process " + uri.getPath() + ": "
                        + Errno.describe(-pid));
            }
            closeAll(List.of(out.read(), err.read(), ready.write(), devNull));
            opened.removeAll(List.of(out.read(), err.read(), ready.write(), devNull));
            awaitReady(ready.read(), pid, uri);
            closeAll(List.of(ready.read()));
            return new Started(pid, out.write(), err.write());
        } catch (RpcException | RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    /** SIGTERM, as runc's shim sends it when the process is deleted (the shim reaps it as an orphan). */
    static void stop(int pid) {
        Sys.attempt(SyscallNr.KILL, pid, SIGTERM);
    }

    /** Go's url.Values order is random; ours is the query's: KEY VALUE pairs, a key without value alone. */
    static List<String> arguments(String rawQuery) {
        List<String> args = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return args;
        }
        List<String> seen = new ArrayList<>();
        for (String pair : rawQuery.split("[&;]")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (seen.contains(key)) {
                continue; // the first value only, as Go's Values.Get
            }
            seen.add(key);
            args.add(key);
            if (eq >= 0) {
                args.add(decode(pair.substring(eq + 1)));
            }
        }
        return args;
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void awaitReady(int readyFd, int pid, URI uri) throws RpcException {
        if (!Poll.readable(readyFd, READY_TIMEOUT_MS)) {
            Sys.attempt(SyscallNr.KILL, pid, SIGKILL);
            throw new RpcException(Code.UNKNOWN, "the logging binary " + uri.getPath()
                    + " did not close or write its fd 5 within " + READY_TIMEOUT_MS / 1000 + " s");
        }
    }

    /** A pipe whose ends are above the binary's six fds, so that placing one never overwrites another. */
    private static Pipe pipe(String purpose, List<Integer> opened) {
        Pipe p = Pipe.open(purpose);
        opened.add(p.read());
        opened.add(p.write());
        return new Pipe(above(p.read(), opened), above(p.write(), opened));
    }

    /** {@code fd} moved above the binary's six fds, and {@code opened} kept up to date. */
    private static int above(int fd, List<Integer> opened) {
        int moved = Sys.moveAtLeast("move an fd above the logging binary's", fd, FDS);
        opened.remove(Integer.valueOf(fd));
        opened.add(moved);
        return moved;
    }

    private static int devNull(List<Integer> opened) {
        int fd = Sys.open("/dev/null", Kernel.O_RDWR);
        opened.add(fd);
        return above(fd, opened);
    }

    private static void closeAll(List<Integer> fds) {
        for (int fd : fds) {
            Sys.attempt(SyscallNr.CLOSE, fd);
        }
    }
}
