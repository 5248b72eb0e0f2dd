package jrun.base;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * jrun's few environment variables, read without {@code System.getenv}: its first call copies
 * the whole environment into the Java heap, and until its execve the container's init (and
 * exec's process) is a copy of that heap, which a container holding CAP_SYS_PTRACE reads
 * through /proc/PID/mem: a secret in the caller's environment would leak (issue 16). The
 * environment is read from /proc/self/environ into native memory, only the value asked for is
 * copied out, and the rest is overwritten.
 */
public final class Environment {
    private static final int INITIAL_SIZE = 64 * 1024;

    private Environment() {}

    /** The variable's value, or null when it is not set (or the environment cannot be read). */
    public static String get(String name) {
        byte[] key = (name + "=").getBytes(StandardCharsets.UTF_8);
        ByteBuffer env = read();
        if (env == null) {
            return null;
        }
        try {
            int start = 0;
            int end = env.limit();
            while (start < end) {
                int stop = start;
                while (stop < end && env.get(stop) != 0) {
                    stop++;
                }
                if (startsWith(env, start, stop, key)) {
                    byte[] value = new byte[stop - start - key.length];
                    env.get(start + key.length, value);
                    return new String(value, StandardCharsets.UTF_8);
                }
                start = stop + 1;
            }
            return null;
        } finally {
            wipe(env, env.limit());
        }
    }

    private static boolean startsWith(ByteBuffer env, int start, int stop, byte[] key) {
        if (stop - start < key.length) {
            return false;
        }
        for (int i = 0; i < key.length; i++) {
            if (env.get(start + i) != key[i]) {
                return false;
            }
        }
        return true;
    }

    /** Overwrites the first {@code length} bytes with zeros, in one bulk copy. */
    private static void wipe(ByteBuffer buffer, int length) {
        buffer.clear().put(0, new byte[length]);
    }

    /** /proc/self/environ in a direct (native) buffer, flipped; null when it cannot be read. */
    private static ByteBuffer read() {
        try (FileChannel in = FileChannel.open(Path.of("/proc/self/environ"))) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(INITIAL_SIZE);
            while (in.read(buffer) >= 0) {
                if (!buffer.hasRemaining()) {
                    ByteBuffer bigger = ByteBuffer.allocateDirect(buffer.capacity() * 2);
                    bigger.put(buffer.flip());
                    wipe(buffer, buffer.capacity());
                    buffer = bigger;
                }
            }
            return buffer.flip();
        } catch (IOException e) {
            return null;
        }
    }
}
