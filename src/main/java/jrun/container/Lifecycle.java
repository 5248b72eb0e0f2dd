package jrun.container;

import jrun.base.JrunException;
import jrun.state.ContainerStatus;

/**
 * Which status of a container allows which verb, and runc's words when it does not: the one
 * place that answers "may I delete a paused container?". The texts are runc's (libcontainer's
 * state machine and its commands), which engines and tests compare.
 */
public final class Lifecycle {
    /** The verbs whose permission depends on the container's live status. */
    public enum Verb {
        START, EXEC,
        /** {@code exec --ignore-paused}. */
        EXEC_IGNORING_PAUSED,
        KILL, PAUSE, RESUME, DELETE,
        /** {@code delete --force}: any status; a live container is killed first. */
        DELETE_FORCED,
        UPDATE, EVENTS
    }

    private static final String NOT_RUNNING = "container not running";
    private static final String ALREADY_RUNNING = "cannot start an already running container";
    private static final String CANNOT_EXEC = "cannot exec in a {status} container";
    private static final String NOT_STOPPED = "cannot delete container {id} that is not stopped: {status}";

    /**
     * The table: a row per {@link Verb} in its order, a column per {@link ContainerStatus} in
     * its order (creating, created, running, stopped, paused); null where the verb is allowed,
     * else the error, in which {@code {id}} and {@code {status}} stand for the container's.
     * Arrays rather than a switch: no class is spun for a switch map on every start.
     */
    private static final String[][] TABLE = {
        /* START */ {"cannot start a container in the {status} state", null, ALREADY_RUNNING,
                "cannot start a container that has stopped", ALREADY_RUNNING},
        /* EXEC */ {CANNOT_EXEC, null, null, CANNOT_EXEC,
                "cannot exec in a paused container (use --ignore-paused to override)"},
        /* EXEC_IGNORING_PAUSED */ {CANNOT_EXEC, null, null, CANNOT_EXEC, null},
        /* KILL */ {NOT_RUNNING, null, null, NOT_RUNNING, null},
        /* PAUSE */ {NOT_RUNNING, null, null, NOT_RUNNING, NOT_RUNNING},
        /* RESUME */ {"container not paused", "container not paused", "container not paused", "container not paused", null},
        /* DELETE */ {NOT_STOPPED, null, NOT_STOPPED, null, NOT_STOPPED},
        /* DELETE_FORCED */ {null, null, null, null, null},
        /* UPDATE */ {null, null, null, "cannot update container {id}: it has stopped", null},
        /* EVENTS */ {null, null, null, "container with id {id} is not running", null},
    };

    private Lifecycle() {}

    /** Throws runc's error when {@code verb} is not allowed on container {@code id} in {@code status}. */
    public static void check(Verb verb, ContainerStatus status, String id) {
        String refusal = TABLE[verb.ordinal()][status.ordinal()];
        if (refusal != null) {
            throw new JrunException(refusal.replace("{id}", id).replace("{status}", status.jsonName()));
        }
    }

    public static boolean allows(Verb verb, ContainerStatus status) {
        return TABLE[verb.ordinal()][status.ordinal()] == null;
    }
}
