package jrun.linux;

import java.util.Locale;

/** The namespace types of the runtime-spec with their clone flags and /proc/PID/ns names. */
public enum NamespaceKind {
    // Joining order matters: the user namespace first (it decides the privileges for the rest),
    // the mount namespace last among those joined by path, as runc orders them.
    USER("user", "user", 0x10000000L),
    PID("pid", "pid", 0x20000000L),
    NETWORK("network", "net", 0x40000000L),
    IPC("ipc", "ipc", 0x08000000L),
    UTS("uts", "uts", 0x04000000L),
    CGROUP("cgroup", "cgroup", 0x02000000L),
    TIME("time", "time", 0x80L),
    MOUNT("mount", "mnt", 0x20000L);

    private final String specName;
    private final String procName;
    private final long cloneFlag;

    NamespaceKind(String specName, String procName, long cloneFlag) {
        this.specName = specName;
        this.procName = procName;
        this.cloneFlag = cloneFlag;
    }

    public static NamespaceKind fromSpec(String name) {
        for (NamespaceKind k : values()) {
            if (k.specName.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown namespace type " + name.toLowerCase(Locale.ROOT));
    }

    public String specName() {
        return specName;
    }

    /** The name under /proc/PID/ns. */
    public String procName() {
        return procName;
    }

    public long cloneFlag() {
        return cloneFlag;
    }
}
