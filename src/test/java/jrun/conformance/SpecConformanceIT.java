package jrun.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import jrun.it.Jrun;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime-spec conformance suite against jrun: one test per case. A case jrun fails today
 * for a known reason is listed in {@link #KNOWN_FAILURES} with that reason; it must still fail
 * (a listed case that passes fails here, so the list shrinks as the fixes land), and every
 * other case must pass.
 */
class SpecConformanceIT {
    /** Case name to why jrun fails it today. */
    static final Map<String, String> KNOWN_FAILURES = Map.ofEntries(
            Map.entry("delete-created", "deliberate, as runc: delete of a created container kills its init "
                    + "(engines delete containers whose start they abandoned)"),
            Map.entry("cgroup-pids-zero", "deliberate, as runc: a pids limit of 0 means no limit "
                    + "(engines send 0 for unlimited; a limit of 0 would leave the container unable to fork)"),
            Map.entry("device-path-conflict", "as runc: a file already at a device's path is kept, the device not made, "
                    + "and no error"));

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> jrunAgainstTheSpec() {
        List<String> jrun = Jrun.launcher();
        return SpecSuite.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            String failure = SpecSuite.run(c, jrun, tmp);
            String known = KNOWN_FAILURES.get(c.name());
            if (known == null && failure != null) {
                fail(c.name() + " failed: " + failure + "\n  " + c.source() + ": \"" + c.quote() + "\"");
            }
            if (known != null && failure == null) {
                fail(c.name() + " passes now: remove it from SpecConformanceIT.KNOWN_FAILURES (" + known + ")");
            }
        }));
    }

    @Test
    void everyKnownFailureNamesACase() {
        Set<String> names = new HashSet<>();
        SpecSuite.all().forEach(c -> assertTrue(names.add(c.name()), "two cases named " + c.name()));
        for (String known : KNOWN_FAILURES.keySet()) {
            assertTrue(names.contains(known), "KNOWN_FAILURES lists " + known + ", which is no case");
        }
    }
}
