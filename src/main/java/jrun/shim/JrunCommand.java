package jrun.shim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jrun.base.JrunException;
import jrun.json.JsonValue;
import jrun.sys.Errno;
import jrun.sys.Kernel;
import jrun.sys.PosixSpawn;
import jrun.sys.Reaper;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;
import jrun.sys.UnixSocket;
import jrun.validation.JsonTrees;

/**
 * A create or exec run by a fresh {@code bin/jrun}, as runc's shim runs runc for each, instead
 * of a fork of the shim's JVM. Only for a process that a process of its container could read
 * before its execve ({@code jrun.process.PtraceReach}: CAP_SYS_PTRACE, no user namespace):
 * forked from the shim, its memory would be a copy of the shim's heap, which holds what the shim
 * read of the other containers of its group (their config.json: environment, arguments,
 * mounts). The new jrun's heap holds only this container's data, as runc's init holds its own
 * container's. What jrun leaves running becomes the shim's child when jrun exits (the shim is
 * the subreaper), and the shim waits for it through a pidfd as for a process it forked.
 */
final class JrunCommand {
    private static final String PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final Path root;

    /** @param root the shim's state root, which the new jrun gets as {@code --root} */
    JrunCommand(Path root) {
        this.root = root;
    }

    /**
     * {@code jrun create --bundle BUNDLE --pid-file PIDFILE ID} with {@code stdio} as its fds 0-2
     * (empty with a terminal, whose master comes back; else -1).
     */
    int create(String id, Path bundle, String pidFile, int[] stdio, boolean terminal) {
        try (Work work = new Work(root)) {
            return work.run(List.of("create", "--bundle", bundle.toString(), "--pid-file", pidFile), id, stdio, terminal);
        }
    }

    /**
     * {@code jrun exec -d --process FILE ID} of {@code processJson} (the runtime-spec's Process,
     * called {@code origin} in messages); returns the exec'd process, now the shim's child.
     */
    JrunRuntime.Started exec(String id, byte[] processJson, String origin, int[] stdio, boolean terminal) {
        try (Work work = new Work(root)) {
            Path process = work.file("process.json");
            Path pidFile = work.file("pid");
            try {
                Files.write(process, processJson);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int master;
            try {
                master = work.run(List.of("exec", "--detach", "--process", process.toString(), "--pid-file",
                        pidFile.toString()), id, stdio, terminal);
            } catch (JrunException e) {
                // jrun names the process by its file, a temporary one: named as the shim names it
                throw new JrunException(e.getMessage().replace(process.toString(), origin), e);
            }
            try {
                // The shim's child since jrun exited, reaped only by the shim: its pid is still its own.
                int pid = Integer.parseInt(Files.readString(pidFile).strip());
                int pidfd = (int) Sys.call("open a pidfd of the exec'd process " + pid, SyscallNr.PIDFD_OPEN, pid, 0);
                return new JrunRuntime.Started(pid, pidfd, master);
            } catch (IOException | RuntimeException e) {
                closeQuietly(master);
                throw new JrunException("jrun exec in container " + id + " left no process to watch: " + e.getMessage(), e);
            }
        }
    }

    /**
     * A private directory for one command's files (its log, console socket, process and pid
     * files), in the temporary directory as runc's shim makes its console socket and process file
     * there: in the state root it would read as a container, and under a bundle the socket's path
     * could pass sun_path's 108 bytes.
     */
    private static final class Work implements AutoCloseable {
        private final Path root;
        private final Path dir;

        Work(Path root) {
            this.root = root;
            try {
                // 0700: the process file carries the container's environment
                this.dir = Files.createTempDirectory("jrun-shim-");
            } catch (IOException e) {
                throw new JrunException("cannot make a temporary directory for jrun: " + e.getMessage(), e);
            }
        }

        Path file(String name) {
            return dir.resolve(name);
        }

        /** Runs bin/jrun VERB... ID and waits for it; returns the terminal's master (-1 without one). */
        int run(List<String> verb, String id, int[] stdio, boolean terminal) {
            Path log = file("log.json");
            List<String> argv = new ArrayList<>(List.of(jrun(), "--root", root.toString(), "--log", log.toString(),
                    "--log-format", "json"));
            argv.addAll(verb);
            int console = -1;
            int[] fds = stdio;
            try {
                if (terminal) {
                    Path socket = file("console.sock");
                    console = check(UnixSocket.listen(socket.toString()), "listen on " + socket);
                    argv.add("--console-socket");
                    argv.add(socket.toString());
                    fds = devNulls();
                }
                argv.add(id);
                int pid = check(PosixSpawn.spawn(argv.get(0), argv, List.of(PATH), fds), "start " + argv.get(0));
                int pidfd = (int) Sys.call("open a pidfd of jrun " + verb.get(0), SyscallNr.PIDFD_OPEN, pid, 0);
                int status;
                try {
                    status = Reaper.waitExit(pidfd);
                } finally {
                    Sys.attempt(SyscallNr.CLOSE, pidfd);
                }
                if (status != 0) {
                    throw new JrunException(errorIn(log, "jrun " + verb.get(0) + " exited with status " + status));
                }
                return terminal ? receiveMaster(console) : -1;
            } finally {
                if (fds != stdio) {
                    closeQuietly(fds[0]);
                }
                closeQuietly(console);
            }
        }

        @Override
        public void close() {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                // a leftover in the temporary directory, nothing that runs
            }
        }
    }

    /** bin/jrun of the shim's own installation (its launcher sets jrun.home). */
    private static String jrun() {
        return Path.of(System.getProperty("jrun.home", "."), "bin", "jrun").toAbsolutePath().toString();
    }

    /** The master jrun sent to the console socket before it exited (queued there: nothing to wait for). */
    private static int receiveMaster(int console) {
        int connection = check(UnixSocket.accept(console), "accept jrun's console socket connection");
        try {
            return check(UnixSocket.receiveFd(connection, new byte[256], new int[1]), "receive the terminal's master");
        } finally {
            closeQuietly(connection);
        }
    }

    /** The message of the last error in jrun's JSON log, or {@code fallback} without one. */
    static String errorIn(Path log, String fallback) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return fallback;
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            try {
                JsonValue entry = JsonTrees.parse(lines.get(i).getBytes(StandardCharsets.UTF_8), "jrun's log");
                if ("error".equals(entry.get("level").asString(null))) {
                    return entry.get("msg").asString(fallback);
                }
            } catch (RuntimeException e) {
                // not a log entry of jrun's
            }
        }
        return fallback;
    }

    /** /dev/null as fds 0-2 (one fd thrice), for a jrun whose process gets a terminal instead. */
    private static int[] devNulls() {
        int fd = Sys.open("/dev/null", Kernel.O_RDWR);
        return new int[] {fd, fd, fd};
    }

    private static int check(int result, String what) {
        if (result < 0) {
            throw new JrunException("cannot " + what + ": " + Errno.describe(-result));
        }
        return result;
    }

    private static void closeQuietly(int fd) {
        if (fd >= 0) {
            Sys.attempt(SyscallNr.CLOSE, fd);
        }
    }
}
