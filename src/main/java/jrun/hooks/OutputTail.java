package jrun.hooks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Drains a hook's output pipe on a thread of its own and keeps its last {@code limit} bytes:
 * the end of the output is where a failing program says why, and the pipe must be read to the
 * end or a chatty hook would block on it and run into its time-out.
 */
final class OutputTail {
    private final byte[] ring;
    private long total;
    private final Thread thread;

    private OutputTail(InputStream in, int limit, String name) {
        this.ring = new byte[limit];
        // A platform thread: a hook run in the container is read through a blocking read(2)
        // downcall, which pins a virtual thread's carrier; its two drains took both carriers of
        // a 2-CPU machine and the virtual thread feeding the hook its state never ran, so a hook
        // reading its stdin to the end waited for ever (the spec suite's hooks-lifecycle-order).
        this.thread = Thread.ofPlatform().daemon().name(name).start(() -> drain(in));
    }

    static OutputTail drain(InputStream in, int limit, String name) {
        return new OutputTail(in, limit, name);
    }

    private void drain(InputStream in) {
        byte[] buf = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                append(buf, n);
            }
        } catch (IOException e) {
            // The pipe broke: what was read is all there is.
        }
    }

    private synchronized void append(byte[] buf, int n) {
        for (int i = 0; i < n; i++) {
            ring[(int) (total++ % ring.length)] = buf[i];
        }
    }

    /**
     * Waits until the pipe's end of file, but no later than {@code deadline} (nanoTime): a
     * program the hook left running in the background may hold the pipe open for ever. Such a
     * program may go on writing; this thread goes on reading and dropping what it writes.
     */
    void await(long deadline) throws InterruptedException {
        long left = deadline - System.nanoTime();
        if (left > 0) {
            thread.join(Duration.ofNanos(left));
        }
    }

    /** The output kept, trimmed, with "..." in front when its start was dropped. */
    synchronized String text() {
        if (total <= ring.length) {
            return new String(ring, 0, (int) total, StandardCharsets.UTF_8).strip();
        }
        int start = (int) (total % ring.length);
        byte[] bytes = new byte[ring.length];
        System.arraycopy(ring, start, bytes, 0, ring.length - start);
        System.arraycopy(ring, 0, bytes, ring.length - start, start);
        // Skip the rest of a UTF-8 sequence cut in the middle rather than show U+FFFD.
        int from = 0;
        while (from < bytes.length && (bytes[from] & 0xC0) == 0x80) {
            from++;
        }
        return "..." + new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8).strip();
    }
}
