package jrun.linux.seccomp;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import jrun.base.JrunException;
import jrun.json.JsonWriter;
import jrun.sys.Errno;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;
import jrun.sys.UnixSocket;

/**
 * Sends a seccomp listener fd to the agent at {@code listenerPath} the way runtime-spec's
 * "container process state" says and runc does: one connection to an AF_UNIX stream socket,
 * the state as JSON, the fd in SCM_RIGHTS of the first sendmsg, then close.
 */
public final class ListenerHandover {
    /** What the agent learns about the container; {@code status} is "creating" during create. */
    public record ContainerProcessState(String ociVersion, int pid, String metadata, String id, String status,
                                        String bundle, Map<String, String> annotations) {
        public ContainerProcessState withPid(int newPid) {
            return new ContainerProcessState(ociVersion, newPid, metadata, id, status, bundle, annotations);
        }
    }

    private ListenerHandover() {}

    /**
     * Takes the listener the container's init parked on {@code slotFd} (pidfd_getfd: a copy in
     * this process) and sends it to the filter's agent.
     */
    public static void takeAndSend(int initPidfd, int slotFd, SeccompFilter filter, ContainerProcessState state) {
        int listenerFd = (int) Sys.call("take the seccomp listener from the container's init",
                SyscallNr.PIDFD_GETFD, initPidfd, slotFd, 0);
        try {
            send(filter.listenerPath(), state, listenerFd);
        } finally {
            Sys.attempt(SyscallNr.CLOSE, listenerFd);
        }
    }

    public static void send(String listenerPath, ContainerProcessState state, int listenerFd) {
        if (listenerPath.getBytes(StandardCharsets.UTF_8).length >= UnixSocket.SUN_PATH_MAX) {
            throw new JrunException("config.json: /linux/seccomp/listenerPath: " + listenerPath
                    + " is longer than a unix socket path may be (" + (UnixSocket.SUN_PATH_MAX - 1) + " bytes)");
        }
        int sock = UnixSocket.connect(listenerPath);
        if (sock < 0) {
            throw new JrunException("config.json: /linux/seccomp/listenerPath: cannot connect to the seccomp "
                    + "agent at " + listenerPath + ": " + Errno.describe(-sock));
        }
        try {
            int rc = UnixSocket.sendWithFd(sock, json(state), listenerFd);
            if (rc < 0) {
                throw new JrunException("config.json: /linux/seccomp/listenerPath: cannot send the listener fd to "
                        + listenerPath + ": " + Errno.describe(-rc));
            }
        } finally {
            Sys.attempt(SyscallNr.CLOSE, sock);
        }
    }

    static byte[] json(ContainerProcessState s) {
        JsonWriter g = JsonWriter.compact().beginObject()
                .property("ociVersion", s.ociVersion())
                .name("fds").beginArray().value("seccompFd").endArray()
                .property("pid", s.pid());
        if (s.metadata() != null) {
            g.property("metadata", s.metadata());
        }
        g.name("state").beginObject()
                .property("ociVersion", s.ociVersion())
                .property("id", s.id())
                .property("status", s.status())
                .property("pid", s.pid())
                .property("bundle", s.bundle());
        if (!s.annotations().isEmpty()) {
            g.property("annotations", s.annotations());
        }
        return g.endObject().endObject().toString().getBytes(StandardCharsets.UTF_8);
    }
}
