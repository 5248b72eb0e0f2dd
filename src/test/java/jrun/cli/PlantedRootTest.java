package jrun.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test of the state commands on containers planted in a temporary state root
 * ({@code CliRun.plant}), whose stand-in init ({@code sleep}) is killed afterwards.
 */
abstract class PlantedRootTest {
    @TempDir
    Path tmp;
    Process sleep;

    @AfterEach
    void killSleep() {
        if (sleep != null) {
            sleep.destroyForcibly();
        }
    }

    Path root() {
        return tmp.resolve("root");
    }
}
