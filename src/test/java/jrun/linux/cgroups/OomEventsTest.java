package jrun.linux.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import jrun.sys.Epoll;
import jrun.sys.EpollTest;
import jrun.sys.Errno;
import jrun.sys.Notifier;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;
import org.junit.jupiter.api.Test;

/** OomEvents over a real eventfd (standing for the kernel's notifier) and a counter standing for the cgroup's. */
class OomEventsTest {
    private final AtomicLong count = new AtomicLong(3);

    @Test
    void reportsOnlyTheKillsAfterTheWatchStarted() {
        try (OomEvents events = new OomEvents(Notifier.eventFd("a test"), count::get, false)) {
            assertEquals(0, events.newKills(), "the 3 kills before the watch are old");
            count.set(5);
            assertEquals(2, events.newKills());
            assertEquals(0, events.newKills(), "each kill is reported once");
        }
    }

    @Test
    void aGoneCgroupReportsNothingMore() {
        try (OomEvents events = new OomEvents(Notifier.eventFd("a test"), count::get, false)) {
            count.set(-1);
            assertEquals(0, events.newKills());
        }
    }

    @Test
    void readingTheKillsEmptiesTheNotifier() {
        try (OomEvents events = new OomEvents(Notifier.eventFd("a test"), count::get, false);
                Epoll epoll = Epoll.create("a test")) {
            epoll.add(events.fd(), 1);
            EpollTest.signal(events.fd());
            count.incrementAndGet();
            assertEquals(1, epoll.await(new long[1], 1000));
            assertEquals(1, events.newKills());
            assertEquals(0, epoll.await(new long[1], 0), "no longer readable: the watcher sleeps again");
        }
    }

    /** cgroup v1: the notice comes when the OOM starts; the kill is counted a moment later. */
    @Test
    void aNoticeBeforeTheKillLeavesTheKillExpectedUntilItIsCounted() {
        try (OomEvents events = new OomEvents(Notifier.eventFd("a test"), count::get, true)) {
            assertFalse(events.expected());
            EpollTest.signal(events.fd());
            assertEquals(0, events.newKills(), "the killer has not killed yet");
            assertTrue(events.expected());
            assertEquals(0, events.newKills(), "looked again too early");
            assertTrue(events.expected(), "still expected without a new notice");
            count.incrementAndGet();
            assertEquals(1, events.newKills());
            assertFalse(events.expected());
        }
    }

    @Test
    void onCgroupV2ANoticeWithoutAKillExpectsNothing() {
        try (OomEvents events = new OomEvents(Notifier.eventFd("a test"), count::get, false)) {
            EpollTest.signal(events.fd());
            assertEquals(0, events.newKills(), "memory.events also changes for max and high");
            assertFalse(events.expected());
        }
    }

    @Test
    void closeClosesTheNotifierAndEndsTheReports() {
        int fd = Notifier.eventFd("a test");
        OomEvents events = new OomEvents(fd, count::get, false);
        events.close();
        count.set(10);
        assertEquals(0, events.newKills());
        assertEquals(-Errno.EBADF, Sys.attempt(SyscallNr.FCNTL, fd, 1 /* F_GETFD */));
        events.close(); // a second close does not close a number another thread may have been given since
    }

    @Test
    void aCgroupWithoutMemoryControllerHasNoFdButStillCounts() {
        try (OomEvents events = new OomEvents(-1, count::get, false)) {
            assertEquals(-1, events.fd());
            count.set(4);
            assertEquals(1, events.newKills());
        }
    }
}
