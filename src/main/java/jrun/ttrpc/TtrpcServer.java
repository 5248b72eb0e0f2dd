package jrun.ttrpc;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A ttrpc server as containerd's ttrpc package serves: every request of a connection runs on a
 * thread of its own (Wait blocks for as long as the process lives), replies go back as they are
 * ready, tagged with the request's stream id. A bad request gets an error status and the
 * connection goes on; only a connection that breaks inside a frame is closed.
 */
public final class TtrpcServer {
    /** A ttrpc service: the methods of one protobuf service. */
    public interface Service {
        /** Returns the reply's protobuf bytes; an unknown method is {@link Code#UNIMPLEMENTED}. */
        byte[] call(String method, byte[] payload) throws RpcException;
    }

    private final Map<String, Service> services;
    private final Consumer<String> log;
    private final Runnable afterReply;

    /**
     * @param services by full service name, e.g. {@code containerd.task.v2.Task}
     * @param afterReply runs after each reply is written (the shim exits there once Shutdown asked)
     */
    public TtrpcServer(Map<String, Service> services, Consumer<String> log, Runnable afterReply) {
        this.services = Map.copyOf(services);
        this.log = log;
        this.afterReply = afterReply;
    }

    /** Accepts connections until the server socket is closed. */
    public void serve(ServerSocketChannel server) throws IOException {
        while (true) {
            SocketChannel connection = server.accept();
            Thread.ofPlatform().daemon().name("ttrpc-connection").start(() -> serveConnection(connection));
        }
    }

    void serveConnection(SocketChannel connection) {
        try (connection) {
            serve(new BufferedInputStream(SocketStreams.in(connection)), SocketStreams.out(connection));
        } catch (IOException e) {
            log.accept("ttrpc: connection closed: " + e.getMessage());
        }
    }

    /** Reads and answers requests until the stream ends between two frames. */
    void serve(InputStream in, OutputStream out) throws IOException {
        while (true) {
            Frame frame;
            try {
                frame = Frame.read(in);
            } catch (Frame.TooLongException e) {
                reply(out, e.streamId(), Code.RESOURCE_EXHAUSTED, e.getMessage(), null);
                continue;
            }
            if (frame == null) {
                return;
            }
            if (frame.type() != Frame.TYPE_REQUEST) {
                continue; // as ttrpc: other types are for later protocol versions
            }
            if (frame.streamId() % 2 != 1) {
                reply(out, frame.streamId(), Code.INVALID_ARGUMENT, "StreamID must be odd for client initiated streams",
                        null);
                continue;
            }
            Thread.ofPlatform().daemon().name("ttrpc-request").start(() -> answer(frame, out));
        }
    }

    private void answer(Frame frame, OutputStream out) {
        int code = Code.OK;
        String message = "";
        byte[] payload = null;
        try {
            payload = dispatch(frame.data());
        } catch (RpcException e) {
            code = e.code();
            message = e.getMessage();
        } catch (RuntimeException | Error e) {
            code = Code.UNKNOWN;
            message = e.getMessage() == null ? e.toString() : e.getMessage();
            log.accept("ttrpc: request failed: " + e);
        }
        try {
            reply(out, frame.streamId(), code, message, payload);
        } catch (IOException e) {
            log.accept("ttrpc: cannot reply: " + e.getMessage());
        }
        afterReply.run();
    }

    private byte[] dispatch(byte[] data) throws RpcException {
        Messages.Request request;
        try {
            request = Messages.parseRequest(data);
        } catch (InvalidProtocolBufferException e) {
            throw new RpcException(Code.INVALID_ARGUMENT, "unmarshal request error: " + e.getMessage());
        }
        Service service = services.get(request.service());
        if (service == null) {
            throw new RpcException(Code.UNIMPLEMENTED, "service " + request.service());
        }
        return service.call(request.method(), request.payload());
    }

    private static void reply(OutputStream out, int streamId, int code, String message, byte[] payload)
            throws IOException {
        Frame frame = new Frame(streamId, Frame.TYPE_RESPONSE, 0, Messages.response(code, message, payload));
        synchronized (out) {
            frame.write(out);
        }
    }
}
