package jrun.state;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a test main class in a separate JVM, with this JVM's java and class path: the store's
 *  locks are between processes, so their tests need more than one. */
final class ChildJvm {
    private ChildJvm() {}

    /** Starts {@code main} with {@code args}; its stderr goes to {@code stderr}. */
    static Process start(Path stderr, Class<?> main, String... args) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    }
}
