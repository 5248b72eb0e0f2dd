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

    private Lifecycle() {}

    /** Throws runc's error when {@code verb} is not allowed on container {@code id} in {@code status}. */
    public static void check(Verb verb, ContainerStatus status, String id) {
        String refusal = refusal(verb, status);
        if (refusal != null) {
            throw new JrunException(refusal.replace("{id}", id).replace("{status}", status.jsonName()));
        }
    }

    public static boolean allows(Verb verb, ContainerStatus status) {
        return refusal(verb, status) == null;
    }

    /**
     * The table: null where the verb is allowed, else the error's text, in which {@code {id}}
     * and {@code {status}} stand for the container's id and status.
     */
    static String refusal(Verb verb, ContainerStatus status) {
        return switch (verb) {
            case START -> switch (status) {
                case CREATED -> null;
                case STOPPED -> "cannot start a container that has stopped";
                case RUNNING, PAUSED -> "cannot start an already running container";
                case CREATING -> "cannot start a container in the {status} state";
            };
            case EXEC, EXEC_IGNORING_PAUSED -> switch (status) {
                case RUNNING, CREATED -> null;
                case PAUSED -> verb == Verb.EXEC_IGNORING_PAUSED ? null
                        : "cannot exec in a paused container (use --ignore-paused to override)";
                case CREATING, STOPPED -> "cannot exec in a {status} container";
            };
            case KILL -> switch (status) {
                case CREATED, RUNNING, PAUSED -> null;
                case CREATING, STOPPED -> "container not running";
            };
            case PAUSE -> switch (status) {
                case CREATED, RUNNING -> null;
                case CREATING, PAUSED, STOPPED -> "container not running";
            };
            case RESUME -> switch (status) {
                case PAUSED -> null;
                case CREATING, CREATED, RUNNING, STOPPED -> "container not paused";
            };
            case DELETE -> switch (status) {
                case STOPPED, CREATED -> null;
                case CREATING, RUNNING, PAUSED -> "cannot delete container {id} that is not stopped: {status}";
            };
            case DELETE_FORCED -> null;
            case UPDATE -> switch (status) {
                case CREATING, CREATED, RUNNING, PAUSED -> null;
                case STOPPED -> "cannot update container {id}: it has stopped";
            };
            case EVENTS -> switch (status) {
                case CREATING, CREATED, RUNNING, PAUSED -> null;
                case STOPPED -> "container with id {id} is not running";
            };
        };
    }
}
