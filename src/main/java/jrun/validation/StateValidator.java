package jrun.validation;

import java.util.List;
import java.util.stream.Collectors;
import jrun.base.JrunException;
import jrun.base.Log;
import jrun.json.JsonValue;

/**
 * Validates a container's state document (runtime-spec runtime.md#state) against
 * oci-schemas/state-schema.json: what {@code jrun state} prints and hooks receive on stdin.
 */
public final class StateValidator {
    public static final String FILE = "state.json";

    private StateValidator() {}

    /** Every problem with the state, empty when it is valid. */
    public static List<Problem> check(JsonValue state) {
        List<Problem> problems = new java.util.ArrayList<>(SchemaValidator.validate("state-schema.json", state, FILE));
        JsonValue version = state.path("ociVersion");
        if (version.isString() && !version.stringValue().startsWith("1.")) {
            problems.add(new Problem(FILE, "/ociVersion", Log.quote(version.stringValue())
                    + " is not a runtime-spec 1.x version"));
        }
        DocumentOrder.sort(problems, state);
        return problems;
    }

    /** @throws JrunException listing every problem, one per line */
    public static void requireValid(JsonValue state) {
        List<Problem> problems = check(state);
        if (!problems.isEmpty()) {
            throw new JrunException("invalid container state:\n"
                    + problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        }
    }
}
