package jrun.container;

import static jrun.sys.Kernel.O_CLOEXEC;
import static jrun.sys.Kernel.O_CREAT;
import static jrun.sys.Kernel.O_DIRECTORY;
import static jrun.sys.Kernel.O_EXCL;
import static jrun.sys.Kernel.O_NOFOLLOW;
import static jrun.sys.Kernel.O_PATH;
import static jrun.sys.Kernel.O_WRONLY;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import jrun.base.JrunException;
import jrun.sys.Errno;
import jrun.sys.NativeCopy;
import jrun.sys.Sys;
import jrun.sys.SysException;
import jrun.sys.SyscallNr;

/**
 * Writes {@code --pid-file} as runc does (a temporary file renamed over the name, no newline),
 * safe in a directory someone else can write: they may plant a symlink at any name jrun uses.
 * The temporary is created O_EXCL|O_NOFOLLOW relative to the directory's fd, so it is always a
 * new file of jrun's and never a symlink's target; its name is random, so a planted name cannot
 * make jrun fail either (runc fails then). The rename replaces whatever is at the final name,
 * a symlink included, and never follows it. Both are relative to the same directory fd, so a
 * directory swapped meanwhile cannot move the rename elsewhere.
 */
final class PidFile {
    private static final int ATTEMPTS = 5;

    private PidFile() {}

    static void write(Path pidFile, int pid) {
        Path abs = pidFile.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null) {
            throw new JrunException("cannot write the pid file " + pidFile + ": not a file's path");
        }
        String name = abs.getFileName().toString();
        try (Arena arena = Arena.ofConfined()) {
            long dir = Sys.call("open the pid file's directory " + parent, SyscallNr.OPENAT, -100,
                    NativeCopy.cString(arena, parent.toString()).address(), O_PATH | O_DIRECTORY | O_CLOEXEC);
            try {
                MemorySegment temp = createTemporary(arena, dir, name, pid);
                Sys.call("rename the pid file into place", SyscallNr.RENAMEAT, dir, temp.address(), dir,
                        NativeCopy.cString(arena, name).address());
            } finally {
                Sys.attempt(SyscallNr.CLOSE, dir);
            }
        } catch (SysException e) {
            throw new JrunException("cannot write the pid file " + pidFile + ": " + e.getMessage(), e);
        }
    }

    /** The temporary's name, holding the pid. */
    private static MemorySegment createTemporary(Arena arena, long dir, String name, int pid) {
        for (int attempt = 1; ; attempt++) {
            MemorySegment temp = NativeCopy.cString(arena,
                    "." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            long fd = Sys.attempt(SyscallNr.OPENAT, dir, temp.address(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
            if (fd == -Errno.EEXIST && attempt < ATTEMPTS) {
                continue;
            }
            if (fd < 0) {
                throw new SysException("create a temporary pid file", SyscallNr.OPENAT, (int) -fd);
            }
            try {
                byte[] text = Integer.toString(pid).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                MemorySegment bytes = NativeCopy.of(arena, text);
                long written = Sys.call("write the pid file", SyscallNr.WRITE, fd, bytes.address(), text.length);
                if (written != text.length) {
                    throw new SysException("write the pid file", SyscallNr.WRITE, Errno.ENOSPC);
                }
            } catch (SysException e) {
                Sys.attempt(SyscallNr.UNLINKAT, dir, temp.address(), 0);
                throw e;
            } finally {
                Sys.attempt(SyscallNr.CLOSE, fd);
            }
            return temp;
        }
    }
}
