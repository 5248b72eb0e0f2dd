package jrun.linux;

import java.util.Set;

/**
 * Which sysctls a container may set: only those that belong to a namespace it has (runc's
 * rule); anything else would change the host.
 */
public final class Sysctls {
    private static final Set<String> IPC_KEYS = Set.of(
            "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax",
            "kernel.shmmni", "kernel.shm_rmid_forced");

    private Sysctls() {}

    /**
     * Null when the key may be set in a container with these namespaces, else why not.
     *
     * @param newIpc whether the container has its own IPC namespace (likewise the others)
     */
    public static String refusal(String key, boolean newIpc, boolean newNet, boolean newUts) {
        if (IPC_KEYS.contains(key) || key.startsWith("fs.mqueue.")) {
            return newIpc ? null : "it belongs to the IPC namespace, and the container does not have its own";
        }
        if (key.startsWith("net.")) {
            return newNet ? null : "it belongs to the network namespace, and the container does not have its own";
        }
        if (key.equals("kernel.hostname") || key.equals("kernel.domainname")) {
            return newUts ? null : "it belongs to the UTS namespace, and the container does not have its own";
        }
        return "it is not namespaced: setting it would change the host";
    }

    /** {@code net.ipv4.ip_forward} is {@code /proc/sys/net/ipv4/ip_forward}; runc also accepts slashes. */
    public static String procPath(String key) {
        return "/proc/sys/" + key.replace('.', '/');
    }
}
