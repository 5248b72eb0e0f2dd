package jrun.spec;

import java.util.List;
import java.util.Map;
import jrun.json.JsonValue;

/** The lifecycle hooks, by the event that runs them. {@code prestart} is deprecated but still run. */
public record Hooks(List<Hook> prestart, List<Hook> createRuntime, List<Hook> createContainer,
                    List<Hook> startContainer, List<Hook> poststart, List<Hook> poststop,
                    Map<String, JsonValue> extra) {
    public Hooks {
        prestart = Immutable.list(prestart);
        createRuntime = Immutable.list(createRuntime);
        createContainer = Immutable.list(createContainer);
        startContainer = Immutable.list(startContainer);
        poststart = Immutable.list(poststart);
        poststop = Immutable.list(poststop);
        extra = Immutable.map(extra);
    }
}
