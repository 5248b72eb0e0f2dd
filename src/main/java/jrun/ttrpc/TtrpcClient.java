package jrun.ttrpc;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** A ttrpc client making one call at a time (the shim's events to containerd). */
public final class TtrpcClient implements AutoCloseable {
    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;
    private int nextStreamId = 1;

    private TtrpcClient(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedInputStream(SocketStreams.in(channel));
        this.out = SocketStreams.out(channel);
    }

    public static TtrpcClient connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new TtrpcClient(channel);
    }

    /** Calls {@code service/method}; returns the reply's payload or throws its error status. */
    public synchronized byte[] call(String service, String method, byte[] payload) throws IOException, RpcException {
        int streamId = nextStreamId;
        nextStreamId += 2;
        new Frame(streamId, Frame.TYPE_REQUEST, 0, Messages.request(service, method, payload)).write(out);
        while (true) {
            Frame frame = Frame.read(in);
            if (frame == null) {
                throw new EOFException("ttrpc: the server closed the connection");
            }
            if (frame.type() == Frame.TYPE_RESPONSE && frame.streamId() == streamId) {
                Messages.Response response = Messages.parseResponse(frame.data());
                if (response.code() != Code.OK) {
                    throw new RpcException(response.code(), response.message());
                }
                return response.payload();
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
