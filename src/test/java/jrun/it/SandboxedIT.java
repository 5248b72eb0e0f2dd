package jrun.it;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * An integration test class whose every test runs in its own {@link Sandbox}, and after which
 * nothing of any of its containers may remain (state, processes, mounts, leaked fds).
 */
abstract class SandboxedIT {
    @TempDir
    Path tmp;

    Sandbox sandbox;
    private int fdsBefore;

    @BeforeEach
    void openSandbox() {
        sandbox = new Sandbox(tmp);
        fdsBefore = Leftovers.openFds();
    }

    @AfterEach
    void nothingOfTheSandboxLeft() {
        sandbox.deleteAllAndAssertNothingLeft(fdsBefore);
    }
}
