package jrun.spec;

import java.util.List;
import java.util.Map;
import jrun.json.JsonValue;

/**
 * A hook command. {@code args} includes argv[0], as for execv.
 *
 * @param timeout seconds before the hook is killed; null for no timeout
 */
public record Hook(String path, List<String> args, List<String> env, Long timeout, Map<String, JsonValue> extra) {
    public Hook {
        args = Immutable.list(args);
        env = Immutable.list(env);
        extra = Immutable.map(extra);
    }
}
