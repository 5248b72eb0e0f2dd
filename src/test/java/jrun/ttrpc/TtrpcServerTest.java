package jrun.ttrpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real server on a unix socket: bad input gets an error status and the connection keeps serving. */
class TtrpcServerTest {
    private static final String SERVICE = "test.Echo";

    @TempDir
    Path dir;
    private Path socket;
    private ServerSocketChannel server;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        socket = dir.resolve("s");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        TtrpcServer.Service echo = (method, payload) -> switch (method) {
            case "Echo" -> payload;
            case "Block" -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                yield new byte[] {1};
            }
            case "Fail" -> throw new RpcException(Code.NOT_FOUND, "no such thing");
            case "Crash" -> throw new IllegalStateException("boom");
            default -> throw new RpcException(Code.UNIMPLEMENTED, "method " + method);
        };
        Thread.ofPlatform().daemon().start(() -> {
            try {
                new TtrpcServer(Map.of(SERVICE, echo), m -> { }, () -> { }).serve(server);
            } catch (IOException e) {
                // closed by the test
            }
        });
    }

    @AfterEach
    void stop() throws IOException {
        release.countDown();
        server.close();
    }

    @Test
    void answersAndReportsErrors() throws Exception {
        try (TtrpcClient client = TtrpcClient.connect(socket)) {
            assertArrayEquals(new byte[] {1, 2}, client.call(SERVICE, "Echo", new byte[] {1, 2}));
            assertCode(Code.NOT_FOUND, () -> client.call(SERVICE, "Fail", new byte[0]));
            assertCode(Code.UNIMPLEMENTED, () -> client.call(SERVICE, "Nope", new byte[0]));
            assertCode(Code.UNIMPLEMENTED, () -> client.call("no.Such", "Echo", new byte[0]));
            assertCode(Code.UNKNOWN, () -> client.call(SERVICE, "Crash", new byte[0]));
            assertArrayEquals(new byte[] {3}, client.call(SERVICE, "Echo", new byte[] {3}), "still serving");
        }
    }

    @Test
    void malformedFramesGetAnErrorAndTheConnectionGoesOn() throws Exception {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            InputStream in = new BufferedInputStream(SocketStreams.in(c));
            OutputStream out = SocketStreams.out(c);
            // not a protobuf Request
            new Frame(1, Frame.TYPE_REQUEST, 0, new byte[] {(byte) 0xff, (byte) 0xff}).write(out);
            assertEquals(Code.INVALID_ARGUMENT, status(Frame.read(in), 1));
            // an even stream id is the server's, never a client's
            new Frame(2, Frame.TYPE_REQUEST, 0, Messages.request(SERVICE, "Echo", new byte[0])).write(out);
            assertEquals(Code.INVALID_ARGUMENT, status(Frame.read(in), 2));
            // an unknown message type is ignored, as ttrpc does
            new Frame(5, 9, 0, new byte[0]).write(out);
            // too long: skipped, answered ResourceExhausted
            byte[] header = {0x00, 0x40, 0x00, 0x01, 0, 0, 0, 7, Frame.TYPE_REQUEST, 0};
            out.write(header);
            out.write(new byte[(4 << 20) + 1]);
            assertEquals(Code.RESOURCE_EXHAUSTED, status(Frame.read(in), 7));
            new Frame(9, Frame.TYPE_REQUEST, 0, Messages.request(SERVICE, "Echo", new byte[] {4})).write(out);
            Frame ok = Frame.read(in);
            assertEquals(9, ok.streamId());
            assertArrayEquals(new byte[] {4}, Messages.parseResponse(ok.data()).payload());
        }
    }

    @Test
    void aBlockedCallDoesNotHoldUpTheConnection() throws Exception {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            InputStream in = new BufferedInputStream(SocketStreams.in(c));
            OutputStream out = SocketStreams.out(c);
            new Frame(1, Frame.TYPE_REQUEST, 0, Messages.request(SERVICE, "Block", new byte[0])).write(out);
            new Frame(3, Frame.TYPE_REQUEST, 0, Messages.request(SERVICE, "Echo", new byte[] {5})).write(out);
            assertEquals(3, Frame.read(in).streamId(), "the second request answered first");
            release.countDown();
            assertEquals(1, Frame.read(in).streamId());
        }
    }

    private static int status(Frame reply, int streamId) throws Exception {
        assertEquals(streamId, reply.streamId());
        assertEquals(Frame.TYPE_RESPONSE, reply.type());
        return Messages.parseResponse(reply.data()).code();
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void assertCode(int code, Call call) {
        RpcException e = assertThrows(RpcException.class, call::run);
        assertEquals(code, e.code(), e.getMessage());
    }
}
