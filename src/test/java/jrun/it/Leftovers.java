package jrun.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a container could leave behind on the host, as seen from the test JVM: mounts, state
 * directories, processes, file descriptors. Processes are found by a marker environment entry
 * the test puts in the container's env, so containers of other test runs on the same machine
 * are never counted.
 */
public final class Leftovers {
    private Leftovers() {}

    /** The lines of the host's mountinfo (the test JVM's) that mention {@code path}. */
    public static List<String> mountsUnder(Path path) {
        try {
            String p = path.toAbsolutePath().toString();
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(l -> l.contains(p)).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** What is under the state root: container directories, staging or removal leftovers. */
    static List<String> stateEntries(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Pids of live (not zombie) processes whose environment holds {@code marker} ("NAME=value"). */
    static List<Integer> processesWithEnv(String marker) {
        byte[] needle = (marker + "\0").getBytes(StandardCharsets.UTF_8);
        List<Integer> found = new ArrayList<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : proc) {
                byte[] env = readQuietly(p.resolve("environ"));
                if (env != null && contains(env, needle) && !isZombie(p)) {
                    found.add(Integer.parseInt(p.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return found;
    }

    /** The number of file descriptors the test JVM has open. */
    static int openFds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Live descendants of the test JVM (jrun processes that outlived their command). */
    static List<ProcessHandle> descendants() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
    }

    /** Whether {@code pid} is a running process (not gone, not a zombie waiting to be reaped). */
    static boolean isAlive(long pid) {
        return !isZombie(Path.of("/proc", Long.toString(pid)));
    }

    /** True also when the process is gone. */
    private static boolean isZombie(Path proc) {
        byte[] stat = readQuietly(proc.resolve("stat"));
        if (stat == null) {
            return true;
        }
        String s = new String(stat, StandardCharsets.ISO_8859_1);
        int close = s.lastIndexOf(')');
        return close > 0 && close + 2 < s.length() && s.charAt(close + 2) == 'Z';
    }

    private static byte[] readQuietly(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (i > 0 && haystack[i - 1] != 0) {
                continue;
            }
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
