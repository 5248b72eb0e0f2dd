package jrun.linux.seccomp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import jrun.base.JrunException;
import jrun.sys.Errno;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;
import jrun.sys.UnixSocket;
import tools.jackson.core.JsonEncoding;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

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
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = new JsonFactory().createGenerator(ObjectWriteContext.empty(), out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringProperty("ociVersion", s.ociVersion());
            g.writeName("fds");
            g.writeStartArray();
            g.writeString("seccompFd");
            g.writeEndArray();
            g.writeNumberProperty("pid", s.pid());
            if (s.metadata() != null) {
                g.writeStringProperty("metadata", s.metadata());
            }
            g.writeName("state");
            g.writeStartObject();
            g.writeStringProperty("ociVersion", s.ociVersion());
            g.writeStringProperty("id", s.id());
            g.writeStringProperty("status", s.status());
            g.writeNumberProperty("pid", s.pid());
            g.writeStringProperty("bundle", s.bundle());
            if (!s.annotations().isEmpty()) {
                g.writeName("annotations");
                g.writeStartObject();
                for (Map.Entry<String, String> e : s.annotations().entrySet()) {
                    g.writeStringProperty(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        return out.toByteArray();
    }
}
