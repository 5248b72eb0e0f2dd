import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The AOT training driver: runs several jrun command lines in one JVM, because one JVM run is
 * what {@code -XX:AOTCacheOutput} turns into a cache. bin/aot-training compiles it into its own
 * jar and runs it through bin/jrun, so it trains with exactly the launcher's flags; it is never
 * part of jrun itself.
 *
 * <p>Argument: a file holding the workload, one argument per line, commands separated by an
 * empty line. A command's exit status does not matter (a command not implemented yet exits 3,
 * and its class loading is still worth caching); each is reported on stderr for the build log.
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) throws IOException {
        List<String> command = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (line.isEmpty()) {
                run(command);
                command.clear();
            } else {
                command.add(line);
            }
        }
        run(command);
        // jrun ends through System.exit, which loads classes of its own (Runtime.exit logging).
        System.exit(0);
    }

    private static void run(List<String> command) {
        if (command.isEmpty()) {
            return;
        }
        int status = jrun.cli.Main.run(command.toArray(String[]::new));
        System.err.println("aot-training: jrun " + String.join(" ", command) + " -> exit " + status);
    }
}
