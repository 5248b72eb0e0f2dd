package jrun.process;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import jrun.base.JrunException;
import jrun.linux.cgroups.CpuList;
import jrun.sys.NativeCopy;
import jrun.sys.Sys;
import jrun.sys.SyscallNr;

/**
 * {@code process.execCPUAffinity.initial}: the CPUs an exec'd process runs on before it is in
 * the container's cgroup. A child inherits the affinity of the thread that forks it, so the
 * forking thread takes those CPUs for the fork and its own back afterwards (a per-thread
 * setting, as runc's startWithCPUAffinity sets it on a locked OS thread). The child is born in
 * its v2 cgroup (CLONE_INTO_CGROUP) or joins its v1 hierarchies first thing, where the kernel
 * gives it the cgroup's CPUs unless {@code final} says otherwise.
 */
final class InitialAffinity implements AutoCloseable {
    /** Room for 8192 CPUs: sched_getaffinity needs a mask at least as wide as the kernel's. */
    private static final long MASK_BYTES = 1024;

    private final MemorySegment saved;
    private final long savedBytes;

    private InitialAffinity(MemorySegment saved, long savedBytes) {
        this.saved = saved;
        this.savedBytes = savedBytes;
    }

    /** Sets this thread's affinity to {@code cpus} until {@link #close}. */
    static InitialAffinity apply(Arena arena, BitSet cpus, String origin) {
        MemorySegment saved = arena.allocate(MASK_BYTES, 8);
        long savedBytes = Sys.call("read this thread's CPU affinity", SyscallNr.SCHED_GETAFFINITY, 0, MASK_BYTES,
                saved.address());
        MemorySegment mask = NativeCopy.of(arena, cpus.toLongArray());
        try {
            Sys.call("set the CPU affinity to " + CpuList.format(cpus), SyscallNr.SCHED_SETAFFINITY, 0,
                    mask.byteSize(), mask.address());
        } catch (RuntimeException e) {
            throw new JrunException(origin + ": /process/execCPUAffinity/initial: " + e.getMessage(), e);
        }
        return new InitialAffinity(saved, savedBytes);
    }

    @Override
    public void close() {
        Sys.call("restore this thread's CPU affinity", SyscallNr.SCHED_SETAFFINITY, 0, savedBytes, saved.address());
    }
}
