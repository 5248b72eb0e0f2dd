package jrun.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jrun.base.JrunException;
import jrun.container.Lifecycle.Verb;
import jrun.state.ContainerStatus;
import org.junit.jupiter.api.Test;

/** The lifecycle table, cell by cell, with runc's texts (libcontainer and its commands). */
class LifecycleTest {
    /** Each verb's row: the status, then "ok" or the error jrun prints for container "c1". */
    @Test
    void theWholeTable() {
        List<String> rows = new ArrayList<>();
        for (Verb verb : Verb.values()) {
            for (ContainerStatus status : ContainerStatus.values()) {
                String outcome;
                try {
                    Lifecycle.check(verb, status, "c1");
                    outcome = "ok";
                } catch (JrunException e) {
                    outcome = e.getMessage();
                }
                rows.add(verb + " " + status.jsonName() + ": " + outcome);
            }
        }
        assertEquals(List.of(
                "START creating: cannot start a container in the creating state",
                "START created: ok",
                "START running: cannot start an already running container",
                "START stopped: cannot start a container that has stopped",
                "START paused: cannot start an already running container",
                "EXEC creating: cannot exec in a creating container",
                "EXEC created: ok",
                "EXEC running: ok",
                "EXEC stopped: cannot exec in a stopped container",
                "EXEC paused: cannot exec in a paused container (use --ignore-paused to override)",
                "EXEC_IGNORING_PAUSED creating: cannot exec in a creating container",
                "EXEC_IGNORING_PAUSED created: ok",
                "EXEC_IGNORING_PAUSED running: ok",
                "EXEC_IGNORING_PAUSED stopped: cannot exec in a stopped container",
                "EXEC_IGNORING_PAUSED paused: ok",
                "KILL creating: container not running",
                "KILL created: ok",
                "KILL running: ok",
                "KILL stopped: container not running",
                "KILL paused: ok",
                "PAUSE creating: container not running",
                "PAUSE created: ok",
                "PAUSE running: ok",
                "PAUSE stopped: container not running",
                "PAUSE paused: container not running",
                "RESUME creating: container not paused",
                "RESUME created: container not paused",
                "RESUME running: container not paused",
                "RESUME stopped: container not paused",
                "RESUME paused: ok",
                "DELETE creating: cannot delete container c1 that is not stopped: creating",
                "DELETE created: ok",
                "DELETE running: cannot delete container c1 that is not stopped: running",
                "DELETE stopped: ok",
                "DELETE paused: cannot delete container c1 that is not stopped: paused",
                "DELETE_FORCED creating: ok",
                "DELETE_FORCED created: ok",
                "DELETE_FORCED running: ok",
                "DELETE_FORCED stopped: ok",
                "DELETE_FORCED paused: ok",
                "UPDATE creating: ok",
                "UPDATE created: ok",
                "UPDATE running: ok",
                "UPDATE stopped: cannot update container c1: it has stopped",
                "UPDATE paused: ok",
                "EVENTS creating: ok",
                "EVENTS created: ok",
                "EVENTS running: ok",
                "EVENTS stopped: container with id c1 is not running",
                "EVENTS paused: ok"), rows);
    }

    @Test
    void theTableHasARowPerVerbAndAColumnPerStatus() {
        // The columns are in ContainerStatus's order: a new status must be placed in every row.
        assertEquals(List.of("CREATING", "CREATED", "RUNNING", "STOPPED", "PAUSED"),
                Arrays.stream(ContainerStatus.values()).map(Enum::name).toList());
    }

    @Test
    void allowsAgreesWithCheck() {
        for (Verb verb : Verb.values()) {
            for (ContainerStatus status : ContainerStatus.values()) {
                if (!Lifecycle.allows(verb, status)) {
                    assertThrows(JrunException.class, () -> Lifecycle.check(verb, status, "c1"), verb + " " + status);
                }
            }
        }
    }
}
