package jrun.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jrun.base.Environment;
import jrun.base.JrunException;
import jrun.linux.IdMapLines;
import jrun.rootless.RootlessMode;
import jrun.spec.IdMapping;
import jrun.spec.Linux;
import jrun.sys.Errno;
import jrun.sys.FdInputStream;
import jrun.sys.Identity;
import jrun.sys.Pipe;
import jrun.sys.PosixSpawn;
import jrun.sys.Reaper;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * Writes a new container user namespace's id maps, from the parent while the init waits, as
 * runc does. Root writes /proc/PID/uid_map and gid_map itself. An ordinary user may only map its
 * own id, alone, and only after denying setgroups for the gid map (the kernel's rule, so that
 * dropping a group cannot grant access): anything more goes through the setuid helpers
 * {@code newuidmap}/{@code newgidmap} (Debian's {@code uidmap}), which check /etc/subuid and
 * /etc/subgid.
 */
final class UserNamespaceMaps {
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private UserNamespaceMaps() {}

    static void write(int pid, Linux linux, RootlessMode rootless, Identity me) {
        writeMap(pid, rootless, IdKind.UID, linux.uidMappings(), me.uid());
        writeMap(pid, rootless, IdKind.GID, linux.gidMappings(), me.gid());
    }

    /** The two maps differ only in their names and in setgroups, which guards the gid map. */
    private enum IdKind {
        UID("uid_map", "newuidmap", "/linux/uidMappings"),
        GID("gid_map", "newgidmap", "/linux/gidMappings");

        final String file;
        final String helper;
        final String pointer;

        IdKind(String file, String helper, String pointer) {
            this.file = file;
            this.helper = helper;
            this.pointer = pointer;
        }
    }

    private static void writeMap(int pid, RootlessMode rootless, IdKind kind, List<IdMapping> mappings, long own) {
        if (rootless.euid() && !onlyOwn(mappings, own)) {
            runHelper(kind.helper, pid, mappings, kind.pointer);
            return;
        }
        Path proc = Path.of("/proc", Integer.toString(pid));
        if (rootless.euid() && kind == IdKind.GID) {
            ParentSetup.writeProcFile(proc.resolve("setgroups"), "deny", kind.pointer);
        }
        ParentSetup.writeProcFile(proc.resolve(kind.file), IdMapLines.of(mappings), kind.pointer);
    }

    /** The one mapping the kernel lets an ordinary user write itself: its own id, one id. */
    static boolean onlyOwn(List<IdMapping> mappings, long own) {
        return mappings.size() == 1 && mappings.get(0).hostID() == own && mappings.get(0).size() == 1;
    }

    /** {@code newuidmap PID inside outside count ...}, the helper's own words in the error. */
    static List<String> helperArgv(String helper, int pid, List<IdMapping> mappings) {
        List<String> argv = new ArrayList<>();
        argv.add(helper);
        argv.add(Integer.toString(pid));
        for (IdMapping m : mappings) {
            argv.add(Long.toString(m.containerID()));
            argv.add(Long.toString(m.hostID()));
            argv.add(Long.toString(m.size()));
        }
        return argv;
    }

    private static void runHelper(String name, int pid, List<IdMapping> mappings, String pointer) {
        String path = find(name);
        if (path == null) {
            throw new JrunException("config.json: " + pointer + ": mapping more than your own id needs " + name
                    + ", which is not installed (Debian's uidmap package) or not in PATH");
        }
        List<String> argv = helperArgv(path, pid, mappings);
        Spawned run = spawn(path, argv);
        if (run.error() != null) {
            throw new JrunException("config.json: " + pointer + ": cannot run " + path + ": " + run.error());
        }
        if (run.status() != 0) {
            throw new JrunException("config.json: " + pointer + ": " + String.join(" ", argv) + " failed ("
                    + Reaper.describe(run.status()) + ")" + (run.output().isEmpty() ? "" : ": " + run.output()));
        }
    }

    /** What a helper printed, its exit status (128 + signal when killed), or why it could not be run. */
    private record Spawned(String output, int status, String error) {}

    /**
     * Runs a helper with posix_spawn, as hooks are run: no environment (the helpers are setuid
     * and read none), an empty stdin, stdout and stderr into one pipe. Not ProcessBuilder, whose
     * default environment is a copy of jrun's in the heap.
     */
    private static Spawned spawn(String path, List<String> argv) {
        Pipe input = Pipe.open("the stdin of " + path);
        Pipe output;
        try {
            output = Pipe.open("the output of " + path);
        } catch (RuntimeException e) {
            input.close();
            throw e;
        }
        int pid = PosixSpawn.spawn(path, argv, List.of(), new int[] {input.read(), output.write(), output.write()});
        input.close();
        Sys.attempt(SyscallNr.CLOSE, output.write());
        long pidfd = pid < 0 ? pid : Sys.attempt(SyscallNr.PIDFD_OPEN, pid, 0);
        String text;
        try (FdInputStream in = new FdInputStream(output.read())) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            text = "";
        }
        if (pid < 0) {
            return new Spawned("", 0, Errno.describe(-pid));
        }
        if (pidfd < 0) { // our unreaped child: its pid cannot have been reused
            Sys.attempt(SyscallNr.WAIT4, pid, 0, 0, 0);
            return new Spawned(text, 0, "pidfd_open: " + Errno.describe((int) -pidfd));
        }
        try {
            return new Spawned(text, Reaper.waitExit((int) pidfd), null);
        } finally {
            Sys.attempt(SyscallNr.CLOSE, pidfd);
        }
    }

    private static String find(String name) {
        String path = Environment.get("PATH");
        for (String dir : (path == null || path.isEmpty() ? DEFAULT_PATH : path).split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
