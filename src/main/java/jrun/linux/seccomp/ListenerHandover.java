package jrun.linux.seccomp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import jrun.cli.JrunException;
import jrun.sys.Errno;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;
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
                                        String bundle, Map<String, String> annotations) {}

    private static final int AF_UNIX = 1;
    private static final long SOCK_STREAM = 1;
    private static final long SOCK_CLOEXEC = 02000000;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int SUN_PATH_MAX = 108;
    private static final long MSG_NOSIGNAL = 0x4000;

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
        byte[] json = json(state);
        byte[] path = listenerPath.getBytes(StandardCharsets.UTF_8);
        if (path.length >= SUN_PATH_MAX) {
            throw new JrunException("config.json: /linux/seccomp/listenerPath: " + listenerPath
                    + " is longer than a unix socket path may be (" + (SUN_PATH_MAX - 1) + " bytes)");
        }
        try (Arena arena = Arena.ofConfined()) {
            int sock = (int) Sys.call("create a socket for the seccomp agent", SyscallNr.SOCKET, AF_UNIX,
                    SOCK_STREAM | SOCK_CLOEXEC, 0);
            try {
                MemorySegment addr = arena.allocate(2 + SUN_PATH_MAX, 8);
                addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
                MemorySegment.copy(path, 0, addr, JAVA_BYTE, 2, path.length);
                long rc = Sys.attempt(SyscallNr.CONNECT, sock, addr.address(), 2 + SUN_PATH_MAX);
                if (rc < 0) {
                    throw new JrunException("config.json: /linux/seccomp/listenerPath: cannot connect to the seccomp "
                            + "agent at " + listenerPath + ": " + Errno.describe((int) -rc));
                }
                sendWithFd(arena, sock, json, listenerFd, listenerPath);
            } finally {
                Sys.attempt(SyscallNr.CLOSE, sock);
            }
        }
    }

    private static void sendWithFd(Arena arena, int sock, byte[] json, int fd, String listenerPath) {
        MemorySegment data = arena.allocate(json.length);
        MemorySegment.copy(json, 0, data, JAVA_BYTE, 0, json.length);
        MemorySegment iov = arena.allocate(16, 8);
        MemorySegment control = arena.allocate(24, 8); // CMSG_SPACE(sizeof(int))
        control.set(JAVA_LONG, 0, 20);                 // CMSG_LEN(sizeof(int))
        control.set(JAVA_INT, 8, SOL_SOCKET);
        control.set(JAVA_INT, 12, SCM_RIGHTS);
        control.set(JAVA_INT, 16, fd);
        MemorySegment msg = arena.allocate(56, 8);
        msg.set(JAVA_LONG, 16, iov.address());
        msg.set(JAVA_LONG, 24, 1);
        msg.set(JAVA_LONG, 32, control.address());
        msg.set(JAVA_LONG, 40, control.byteSize());
        long sent = 0;
        while (sent < json.length) {
            iov.set(JAVA_LONG, 0, data.address() + sent);
            iov.set(JAVA_LONG, 8, json.length - sent);
            long n = Sys.attempt(SyscallNr.SENDMSG, sock, msg.address(), MSG_NOSIGNAL);
            if (n < 0) {
                throw new JrunException("config.json: /linux/seccomp/listenerPath: cannot send the listener fd to "
                        + listenerPath + ": " + Errno.describe((int) -n));
            }
            sent += n;
            // The fd travels with the first part only (runtime-spec: "only in the first call").
            msg.set(JAVA_LONG, 32, 0);
            msg.set(JAVA_LONG, 40, 0);
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
