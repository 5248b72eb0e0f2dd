package jrun.hooks;

import java.util.List;
import jrun.spec.Hook;
import jrun.spec.Hooks;

/** The lifecycle events that run hooks, with their names in {@code config.json}. */
public enum HookPhase {
    PRESTART("prestart"),
    CREATE_RUNTIME("createRuntime"),
    CREATE_CONTAINER("createContainer"),
    START_CONTAINER("startContainer"),
    POSTSTART("poststart"),
    POSTSTOP("poststop");

    private final String specName;

    HookPhase(String specName) {
        this.specName = specName;
    }

    /** The key under {@code hooks} in config.json, e.g. {@code createRuntime}. */
    public String specName() {
        return specName;
    }

    /** The JSON pointer of this phase's array in config.json, e.g. {@code /hooks/prestart}. */
    public String pointer() {
        return "/hooks/" + specName;
    }

    /** This phase's hooks, in order; empty when there are none (or no {@code hooks} at all). */
    public List<Hook> of(Hooks hooks) {
        if (hooks == null) {
            return List.of();
        }
        return switch (this) {
            case PRESTART -> hooks.prestart();
            case CREATE_RUNTIME -> hooks.createRuntime();
            case CREATE_CONTAINER -> hooks.createContainer();
            case START_CONTAINER -> hooks.startContainer();
            case POSTSTART -> hooks.poststart();
            case POSTSTOP -> hooks.poststop();
        };
    }
}
