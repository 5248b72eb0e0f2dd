package jrun.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jrun.base.JrunException;
import org.junit.jupiter.api.Test;

class StateValidatorTest {
    private static List<String> check(String json) {
        return StateValidator.check(JsonTrees.parse(json.getBytes(), "state.json")).stream().map(Problem::toString).toList();
    }

    @Test
    void specExampleStatesAreValid() {
        assertEquals(List.of(), check("{\"ociVersion\": \"1.2.0\", \"id\": \"c1\", \"status\": \"running\", \"pid\": 4422,"
                + " \"bundle\": \"/containers/redis\", \"annotations\": {\"myKey\": \"myValue\"}}"));
        assertEquals(List.of(), check("{\"ociVersion\": \"1.2.0\", \"id\": \"c1\", \"status\": \"stopped\", \"bundle\": \"/b\"}"));
        assertEquals(List.of(), check("{\"ociVersion\": \"1.2.0\", \"id\": \"c1\", \"status\": \"creating\", \"bundle\": \"/b\"}"));
    }

    @Test
    void createdAndRunningContainersNeedAProcess() {
        assertEquals(List.of("state.json: /pid: is required but missing"),
                check("{\"ociVersion\": \"1.2.0\", \"id\": \"c1\", \"status\": \"created\", \"bundle\": \"/b\"}"));
        assertEquals(List.of("state.json: /pid: 0 is not a process id: a created or running container has a process"),
                check("{\"ociVersion\": \"1.2.0\", \"id\": \"c1\", \"status\": \"running\", \"pid\": 0, \"bundle\": \"/b\"}"));
    }

    @Test
    void everyFieldIsChecked() {
        assertEquals(List.of( // in document order; the missing id after what is there
                "state.json: /ociVersion: \"2.0.0\" is not a runtime-spec 1.x version",
                "state.json: /status: \"sleeping\" is not one of creating, created, running, stopped, paused",
                "state.json: /bundle: \"relative\" is not an absolute path (it must start with /)",
                "state.json: /id: is required but missing"),
                check("{\"ociVersion\": \"2.0.0\", \"status\": \"sleeping\", \"bundle\": \"relative\"}"));
        JrunException e = assertThrows(JrunException.class,
                () -> StateValidator.requireValid(JsonTrees.parse("{}".getBytes(), "state.json")));
        assertTrue(e.getMessage().startsWith("invalid container state:\nstate.json: /ociVersion: is required but missing\n"),
                e.getMessage());
    }
}
