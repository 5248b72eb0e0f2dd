package jrun.linux.cgroups;

import java.util.function.LongSupplier;
import jrun.sys.Notifier;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * The OOM kills of one cgroup as they happen, without polling: {@link #fd} turns readable when the
 * kernel notifies that the count may have grown (see {@link CgroupManager#openOomNotifier}), and
 * {@link #newKills} then says how many kills are new. Shared by {@code jrun events} and the
 * containerd shim's TaskOOM; safe to use from several threads.
 *
 * <p>cgroup v1 notifies when the cgroup runs out of memory, before the OOM killer has chosen and
 * killed its victim (after it logged its report, which takes milliseconds), and does not notify
 * the kill itself. A notice that found no new kill therefore makes the kill {@link #expected}:
 * the waiter then looks again every {@link #RECHECK_MS} until the kill is counted or
 * {@link #EXPECTED_NANOS} passed (the OOM may also end without a kill). cgroup v2 notifies the
 * kill itself (memory.events' oom_kill), so its notices never leave a kill expected.
 */
public final class OomEvents implements AutoCloseable {
    /** How often a waiter looks again while a kill is {@link #expected}. */
    public static final int RECHECK_MS = 5;
    private static final long EXPECTED_NANOS = 2_000_000_000L;

    private final int fd;
    private final LongSupplier kills;
    private final boolean noticeBeforeKill;
    private long seen;
    /** System.nanoTime() of the notice that found no new kill, while the kill is expected; 0 otherwise. */
    private long expectedSince;
    private boolean closed;

    OomEvents(int fd, LongSupplier kills, boolean noticeBeforeKill) {
        this.fd = fd;
        this.kills = kills;
        this.noticeBeforeKill = noticeBeforeKill;
        this.seen = kills.getAsLong();
    }

    /**
     * Starts watching {@code cgroup}: kills from now on are new. The notifier is registered
     * before the count is read, so a kill in between is counted rather than missed.
     */
    public static OomEvents watch(CgroupManager cgroup) {
        return new OomEvents(cgroup.openOomNotifier(), () -> countOf(cgroup), cgroup.mode() != CgroupMode.V2);
    }

    /** The kills so far; -1 once the cgroup is gone (removed: nothing more will happen in it). */
    private static long countOf(CgroupManager cgroup) {
        try {
            return cgroup.exists() ? cgroup.oomKills() : -1;
        } catch (RuntimeException e) {
            return -1; // removed between the check and the read
        }
    }

    /** The fd to wait on (alone or in an epoll set); -1 when the cgroup has no memory controller. */
    public int fd() {
        return fd;
    }

    /** Empties the notifier and returns how many kills happened since the last call (or the watch's start). */
    public synchronized long newKills() {
        if (closed) {
            return 0;
        }
        boolean notified = fd >= 0 && Notifier.drain(fd);
        long now = kills.getAsLong();
        if (now > seen) {
            long fresh = now - seen;
            seen = now;
            expectedSince = 0;
            return fresh;
        }
        if (now < 0) {
            expectedSince = 0;
        } else if (notified && noticeBeforeKill) {
            expectedSince = System.nanoTime() | 1;
        } else if (expectedSince != 0 && System.nanoTime() - expectedSince > EXPECTED_NANOS) {
            expectedSince = 0;
        }
        return 0;
    }

    /** Whether a notice announced a kill that is not counted yet: look again after {@link #RECHECK_MS}. */
    public synchronized boolean expected() {
        return expectedSince != 0 && !closed;
    }

    @Override
    public synchronized void close() {
        if (!closed && fd >= 0) {
            Sys.attempt(SyscallNr.CLOSE, fd);
        }
        closed = true;
    }
}
