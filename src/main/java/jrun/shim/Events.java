package jrun.shim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import jrun.ttrpc.ProtoWriter;
import jrun.ttrpc.RpcException;
import jrun.ttrpc.TtrpcClient;

/**
 * Task events to containerd, as runc's shim publishes them (runtime/v2/shim/publisher.go): each
 * in an Envelope forwarded to containerd's ttrpc address (TTRPC_ADDRESS) through
 * {@code containerd.services.events.ttrpc.v1.Events/Forward}, in the order they happened (one
 * sender thread), retried on a new connection a few times before being given up and logged.
 */
final class Events {
    private static final String SERVICE = "containerd.services.events.ttrpc.v1.Events";
    private static final int ATTEMPTS = 5;

    private record Event(String topic, String type, byte[] body, long atNanos) {}

    private final Path address;
    private final String namespace;
    private final Consumer<String> log;
    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    private TtrpcClient client;

    /** Events published and not yet forwarded (or given up on); guarded by this. */
    private int unsent;

    /** @param address containerd's ttrpc socket, or null: events are then dropped (a shim run by hand) */
    Events(Path address, String namespace, Consumer<String> log) {
        this.address = address;
        this.namespace = namespace;
        this.log = log;
        Thread.ofPlatform().daemon().name("events").start(this::send);
    }

    /**
     * @param type the event's message name in containerd.events (TaskCreate...), which is its
     *             type URL as containerd's typeurl resolves it
     */
    void publish(String topic, String type, ProtoWriter event) {
        if (address != null) {
            synchronized (this) {
                unsent++;
            }
            queue.add(new Event(topic, type, event.toByteArray(), Proc.nowNanos()));
        }
    }

    /** containerd's namespace of the shim's containers. */
    String namespace() {
        return namespace;
    }

    /**
     * Waits until every event published so far is forwarded, at most {@code timeoutMs}: before
     * the shim exits on Shutdown, which follows the last container's Delete, so that its
     * TaskDelete is not lost with the process.
     */
    synchronized void flush(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (unsent > 0) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
            if (leftMs <= 0) {
                return;
            }
            wait(leftMs);
        }
    }

    private void send() {
        while (true) {
            Event e;
            try {
                e = queue.take();
            } catch (InterruptedException ie) {
                return;
            }
            byte[] request = new ProtoWriter().message(1, new ProtoWriter()
                    .timestamp(1, e.atNanos())
                    .string(2, namespace)
                    .string(3, e.topic())
                    .any(4, "containerd.events." + e.type(), e.body())).toByteArray();
            forward(e, request);
            synchronized (this) {
                unsent--;
                notifyAll();
            }
        }
    }

    private void forward(Event e, byte[] request) {
        for (int attempt = 1; ; attempt++) {
            try {
                if (client == null) {
                    client = TtrpcClient.connect(address);
                }
                client.call(SERVICE, "Forward", request);
                return;
            } catch (IOException | RpcException failure) {
                closeClient();
                if (attempt == ATTEMPTS) {
                    log.accept("cannot publish " + e.topic() + " to " + address + ": " + failure.getMessage());
                    return;
                }
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void closeClient() {
        if (client != null) {
            try {
                client.close();
            } catch (IOException ignored) {
                // a broken connection: a new one is made for the next attempt
            }
            client = null;
        }
    }
}
