package jrun.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Starting a program from jrun's own process with glibc's posix_spawn(3), for the hooks that run
 * in jrun's namespaces. glibc clones with CLONE_VM | CLONE_VFORK onto a stack of its own and
 * runs only its own code in the child until the execve, so it is safe from a multithreaded JVM
 * (the JDK starts its own processes the same way), and it reports a failed execve's errno as its
 * result. Unlike java.lang.ProcessBuilder it takes argv[0] and the environment exactly as given.
 * The child gets three fds as its stdio and no other (glibc 2.34's
 * posix_spawn_file_actions_addclosefrom_np), every signal at its default disposition and none
 * blocked (the JVM blocks and handles some), and jrun's working directory.
 */
public final class PosixSpawn {
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    /**
     * glibc's posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336 and sigset_t 128 on
     * x86_64 and aarch64; the opaque ones get room to spare.
     */
    private static final long FILE_ACTIONS_BYTES = 256;
    private static final long ATTR_BYTES = 1024;
    private static final long SIGSET_BYTES = 128;

    /** Looked up on first use: a run without hooks links none of this. */
    private static final class Libc {
        static final MemorySegment SPAWN = Native.function("posix_spawn");
        static final MemorySegment ACTIONS_INIT = Native.function("posix_spawn_file_actions_init");
        static final MemorySegment ACTIONS_DESTROY = Native.function("posix_spawn_file_actions_destroy");
        static final MemorySegment ADD_DUP2 = Native.function("posix_spawn_file_actions_adddup2");
        static final MemorySegment ADD_CLOSEFROM = Native.function("posix_spawn_file_actions_addclosefrom_np");
        static final MemorySegment ATTR_INIT = Native.function("posix_spawnattr_init");
        static final MemorySegment ATTR_DESTROY = Native.function("posix_spawnattr_destroy");
        static final MemorySegment SET_FLAGS = Native.function("posix_spawnattr_setflags");
        static final MemorySegment SET_SIGDEFAULT = Native.function("posix_spawnattr_setsigdefault");
        static final MemorySegment SET_SIGMASK = Native.function("posix_spawnattr_setsigmask");
    }

    private PosixSpawn() {}

    /**
     * Starts {@code path} with exactly {@code argv} and {@code envp}, and {@code stdio}'s fds as
     * its 0, 1, 2 and on (at least three; none of them numbered below {@code stdio.length}
     * itself, see {@link Pipe}), and no other fd.
     *
     * @return the child's pid, or -errno when it could not be started, the execve's errno
     *         included (ENOENT, EACCES, ENOEXEC: no /bin/sh fallback, as in runc)
     */
    public static int spawn(String path, List<String> argv, List<String> envp, int[] stdio) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(FILE_ACTIONS_BYTES, 8);
            MemorySegment attr = arena.allocate(ATTR_BYTES, 8);
            check(call(Libc.ACTIONS_INIT, actions.address()), "posix_spawn_file_actions_init");
            check(call(Libc.ATTR_INIT, attr.address()), "posix_spawnattr_init");
            try {
                for (int fd = 0; fd < stdio.length; fd++) {
                    check(call(Libc.ADD_DUP2, actions.address(), stdio[fd], fd), "posix_spawn_file_actions_adddup2");
                }
                check(call(Libc.ADD_CLOSEFROM, actions.address(), stdio.length),
                        "posix_spawn_file_actions_addclosefrom_np");
                MemorySegment all = arena.allocate(SIGSET_BYTES, 8);
                MemorySegment none = arena.allocate(SIGSET_BYTES, 8); // zeroed: the empty set
                // Every bit, not sigfillset(3), which leaves out glibc's two internal signals
                // (32, 33): the child would then set them to SIG_IGN, which survives the execve.
                all.fill((byte) 0xff);
                check(call(Libc.SET_SIGDEFAULT, attr.address(), all.address()), "posix_spawnattr_setsigdefault");
                check(call(Libc.SET_SIGMASK, attr.address(), none.address()), "posix_spawnattr_setsigmask");
                check(call(Libc.SET_FLAGS, attr.address(), POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK),
                        "posix_spawnattr_setflags");
                MemorySegment pid = arena.allocate(JAVA_INT);
                int error = call(Libc.SPAWN, pid.address(), NativeCopy.cString(arena, path).address(),
                        actions.address(), attr.address(), strings(arena, argv).address(),
                        strings(arena, envp).address());
                return error != 0 ? -error : pid.get(JAVA_INT, 0);
            } finally {
                call(Libc.ATTR_DESTROY, attr.address());
                call(Libc.ACTIONS_DESTROY, actions.address());
            }
        }
    }

    /** A NULL-terminated array of C strings. */
    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(JAVA_LONG, values.size() + 1L); // pointers: 64-bit only
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(JAVA_LONG, i, NativeCopy.cString(arena, values.get(i)).address());
        }
        return array;
    }

    private static int call(MemorySegment function, long... args) {
        long[] a = new long[6];
        System.arraycopy(args, 0, a, 0, args.length);
        // These functions return int (an error number).
        return (int) Native.callFunction(function, a[0], a[1], a[2], a[3], a[4], a[5]);
    }

    private static void check(int result, String function) {
        if (result != 0) {
            throw new IllegalStateException(function + " failed: " + (result > 0 ? Errno.describe(result) : result));
        }
    }
}
