package jrun.shim;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * The shim is the subreaper of its containers: processes orphaned in them (the children of an
 * init that died with its pid namespace, a daemon of a container without one) become its
 * children, and their zombies are reaped here. The shim's own children (inits and exec'd
 * processes, waited for through their pidfds; hooks, waited for by jrun) are reaped by their
 * waiters, so a zombie is taken here only when it is still there a whole period after it was
 * first seen, which no waiter of the shim's leaves it.
 */
final class OrphanReaper {
    private static final int P_ALL = 0;
    private static final int P_PID = 1;
    private static final int WNOHANG = 1;
    private static final int WEXITED = 4;
    private static final int WNOWAIT = 0x01000000;
    private static final long PERIOD_MS = 1000;
    /** siginfo_t's si_pid (after si_signo, si_errno, si_code). */
    private static final long SI_PID = 12;

    private OrphanReaper() {}

    static void start() {
        Thread.ofPlatform().daemon().name("orphan reaper").start(OrphanReaper::run);
    }

    private static void run() {
        int seenBefore = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(128, 8);
            while (true) {
                try {
                    Thread.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                }
                info.fill((byte) 0);
                long r = Sys.attempt(SyscallNr.WAITID, P_ALL, 0, info.address(), WEXITED | WNOHANG | WNOWAIT, 0);
                int zombie = r == 0 ? info.get(JAVA_INT, SI_PID) : 0;
                if (zombie != 0 && zombie == seenBefore) {
                    Sys.attempt(SyscallNr.WAITID, P_PID, zombie, info.address(), WEXITED | WNOHANG, 0);
                    zombie = 0;
                }
                seenBefore = zombie;
            }
        }
    }
}
