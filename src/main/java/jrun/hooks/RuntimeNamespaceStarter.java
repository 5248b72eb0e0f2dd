package jrun.hooks;

import java.io.IOException;
import java.util.List;
import jrun.sys.Errno;
import jrun.sys.Pipe;
import jrun.sys.PosixSpawn;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * Starts hooks from jrun's own namespaces ({@code prestart}, {@code createRuntime},
 * {@code poststart}, {@code poststop}) as runc does: argv exactly the hook's {@code args},
 * argv[0] included (dockerd's prestart hook is {@code /proc/<its pid>/exe} dispatching on
 * argv[0]), the environment exactly as given, jrun's working directory, no other fd; started with
 * posix_spawn (see {@link PosixSpawn}) and watched through a pidfd. A program that cannot be
 * executed fails with execve's errno: ENOENT, EACCES, or ENOEXEC for a file in no executable
 * format (no /bin/sh fallback, as in runc).
 */
public final class RuntimeNamespaceStarter implements HookProcessStarter {
    private static final int SIGKILL = 9;

    @Override
    public HookProcess start(String path, List<String> argv, List<String> env) throws IOException {
        Pipe in = Pipe.open("a hook's stdin");
        Pipe out = null;
        Pipe err = null;
        int pid;
        try {
            out = Pipe.open("a hook's stdout");
            err = Pipe.open("a hook's stderr");
            pid = PosixSpawn.spawn(path, argv, env, new int[] {in.read(), out.write(), err.write()});
        } catch (RuntimeException e) {
            closeAll(in, out, err);
            throw e;
        }
        Sys.attempt(SyscallNr.CLOSE, in.read());
        Sys.attempt(SyscallNr.CLOSE, out.write());
        Sys.attempt(SyscallNr.CLOSE, err.write());
        long pidfd = pid < 0 ? pid : Sys.attempt(SyscallNr.PIDFD_OPEN, pid, 0);
        if (pidfd < 0) {
            Sys.attempt(SyscallNr.CLOSE, in.write());
            Sys.attempt(SyscallNr.CLOSE, out.read());
            Sys.attempt(SyscallNr.CLOSE, err.read());
            if (pid < 0) {
                throw new IOException(Errno.describe(-pid));
            }
            // Our unreaped child: its pid cannot have been reused.
            Sys.attempt(SyscallNr.KILL, pid, SIGKILL);
            Sys.attempt(SyscallNr.WAIT4, pid, 0, 0, 0);
            throw new IOException("pidfd_open: " + Errno.describe((int) -pidfd));
        }
        return new PidfdHookProcess(pid, (int) pidfd, in.write(), out.read(), err.read(), () -> { });
    }

    private static void closeAll(Pipe... pipes) {
        for (Pipe p : pipes) {
            if (p != null) {
                p.close();
            }
        }
    }
}
