package jrun.sys;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Epoll and the Notifier fds on the real kernel (no root needed). */
public class EpollTest {
    @TempDir
    Path tmp;

    @Test
    void reportsTheTokenOfTheReadyFdOnlyUntilItIsDrained() {
        int quiet = Notifier.eventFd("a test");
        int signalled = Notifier.eventFd("a test");
        try (Epoll epoll = Epoll.create("a test")) {
            epoll.add(quiet, 7);
            // A token above 2^32 shows the whole 64-bit data field is read (packed on x86_64).
            epoll.add(signalled, Long.MAX_VALUE - 5);
            long[] ready = new long[4];
            assertEquals(0, epoll.await(ready, 0), "nothing is ready yet");
            signal(signalled);
            assertEquals(1, epoll.await(ready, 1000));
            assertEquals(Long.MAX_VALUE - 5, ready[0]);
            assertEquals(1, epoll.await(ready, 0), "level-triggered: ready until read");
            Notifier.drain(signalled);
            assertEquals(0, epoll.await(ready, 0), "drained");
        } finally {
            Sys.attempt(SyscallNr.CLOSE, quiet);
            Sys.attempt(SyscallNr.CLOSE, signalled);
        }
    }

    @Test
    void aRemovedFdIsNoLongerReported() {
        int fd = Notifier.eventFd("a test");
        try (Epoll epoll = Epoll.create("a test")) {
            epoll.add(fd, 1);
            signal(fd);
            epoll.remove(fd);
            assertEquals(0, epoll.await(new long[1], 0));
        } finally {
            Sys.attempt(SyscallNr.CLOSE, fd);
        }
    }

    @Test
    void waitsUntilTheTimeout() {
        try (Epoll epoll = Epoll.create("a test")) {
            long start = System.nanoTime();
            assertEquals(0, epoll.await(new long[1], 50));
            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(true, waitedMs >= 45, "waited only " + waitedMs + " ms");
        }
    }

    @Test
    void inotifyTurnsReadableWhenTheFileIsModified() throws Exception {
        Path file = Files.writeString(tmp.resolve("memory.events"), "oom_kill 0\n");
        int fd = Notifier.inotify(file, Notifier.IN_MODIFY);
        try (Epoll epoll = Epoll.create("a test")) {
            epoll.add(fd, 3);
            long[] ready = new long[1];
            assertEquals(0, epoll.await(ready, 0));
            Files.writeString(file, "oom_kill 1\n");
            assertEquals(1, epoll.await(ready, 1000));
            assertEquals(3, ready[0]);
            Notifier.drain(fd);
            assertEquals(0, epoll.await(ready, 0));
        } finally {
            Sys.attempt(SyscallNr.CLOSE, fd);
        }
    }

    /** What the kernel does to an eventfd: adds to its count. */
    public static void signal(int eventFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocate(JAVA_LONG);
            one.set(JAVA_LONG, 0, 1);
            Sys.call("signal an eventfd", SyscallNr.WRITE, eventFd, one.address(), 8);
        }
    }
}
