package jrun.state;

/** The runtime-spec's container statuses, plus {@code paused} (runc's extension). */
public enum ContainerStatus {
    /** {@code create} is still setting the container up. */
    CREATING,
    /** Set up; its process waits on the exec fifo for {@code start}. */
    CREATED,
    /** The user's process has been exec'd and is alive. */
    RUNNING,
    /** The process has exited (or never started). */
    STOPPED,
    /** Its processes are frozen. */
    PAUSED;

    /** The lower-case name used in state JSON and {@code jrun list}. */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The status named {@code name} in state JSON, or null when there is none by that name. */
    public static ContainerStatus fromJsonName(String name) {
        for (ContainerStatus s : values()) {
            if (s.jsonName().equals(name)) {
                return s;
            }
        }
        return null;
    }
}
