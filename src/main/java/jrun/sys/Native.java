package jrun.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The one downcall into the kernel: libc's {@code long syscall(long number, ...)} with errno
 * captured. Linking a downcall handle costs milliseconds of every jrun command's start-up
 * (DESIGN.md §6: one generic handle made the prototype ~20 ms faster than nine typed ones), so
 * every system call jrun makes goes through this handle with its number from {@link SyscallNr}.
 *
 * <p>The handle is also what the forked child of {@code clone3} uses between fork and exec,
 * so it must have been invoked before the fork (see {@link #warmUp()}): the first invocation of
 * a handle spins a hidden class under a JVM lock that no thread of the child could release.
 */
public final class Native {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(PathElement.groupElement("errno"));

    private static final MethodHandle SYSCALL = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("syscall"),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.captureCallState("errno"),
            Linker.Option.firstVariadicArg(1));

    /**
     * The same call for the forked child: critical (no thread-state transition, so no safepoint
     * poll on return) and without errno capture, whose downcall allocates on every call (40
     * bytes measured under -Xint): an allocation in the child can need a GC, and the GC's
     * thread did not survive the fork. The child reads errno from {@link #errnoLocation()}.
     */
    private static final class Critical {
        // Linked only by the commands that fork (create, run, exec): each handle costs
        // milliseconds of hidden-class spinning that an AOT cache does not keep.
        static final MethodHandle SYSCALL = LINKER.downcallHandle(
                LINKER.defaultLookup().findOrThrow("syscall"),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(1),
                Linker.Option.critical(false));
    }

    private static final ThreadLocal<MemorySegment> ERRNO_LOCATION = ThreadLocal.withInitial(Native::lookUpErrnoLocation);

    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.global().allocate(CAPTURE_LAYOUT));

    private static MethodHandle strerror;

    private Native() {}

    /** A capture buffer for {@link #syscall(MemorySegment, long, long, long, long, long, long, long)}. */
    public static MemorySegment newCaptureState(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    /**
     * The raw call: returns the kernel's result or -1 with errno in {@code capture}. Allocates
     * nothing and throws nothing, so the child of a fork may call it.
     */
    public static long syscall(MemorySegment capture, long nr, long a, long b, long c, long d, long e, long f) {
        try {
            return (long) SYSCALL.invokeExact(capture, nr, a, b, c, d, e, f);
        } catch (Throwable t) {
            // invokeExact of a correctly typed downcall cannot throw; keep the child free of
            // exception paths by reporting it as a failed call.
            return -1;
        }
    }

    /**
     * The raw call for the forked child: returns the kernel's result, or -1 with errno at
     * {@link #errnoLocation()}. Allocates nothing, throws nothing, never transitions to the VM.
     */
    public static long criticalSyscall(long nr, long a, long b, long c, long d, long e, long f) {
        try {
            return (long) Critical.SYSCALL.invokeExact(nr, a, b, c, d, e, f);
        } catch (Throwable t) {
            return -1;
        }
    }

    /**
     * The calling thread's errno variable. A child forked by this thread has one thread, whose
     * errno is at the same address.
     */
    public static MemorySegment errnoLocation() {
        return ERRNO_LOCATION.get();
    }

    /** Reads errno through a location from {@link #errnoLocation()}; allocates nothing. */
    public static int errnoAt(MemorySegment location) {
        return location.get(JAVA_INT, 0);
    }

    private static MemorySegment lookUpErrnoLocation() {
        try {
            MethodHandle h = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("__errno_location"),
                    FunctionDescriptor.of(ADDRESS));
            return ((MemorySegment) h.invokeExact()).reinterpret(4);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot find errno", t);
        }
    }

    public static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    /** The calling thread's capture buffer, for parent-side calls. */
    static MemorySegment threadCapture() {
        return CAPTURE.get();
    }

    /**
     * Invokes the handle and every code path the forked child relies on a few times, with a
     * call the kernel refuses at once (an invalid syscall number gives ENOSYS).
     */
    public static void warmUp() {
        // The parent's handle first: other threads' syscalls wait for it, the child's can wait.
        MemorySegment capture = threadCapture();
        syscall(capture, -1, 0, 0, 0, 0, 0, 0);
        MemorySegment errno = errnoLocation();
        for (int i = 0; i < 3; i++) {
            syscall(capture, -1, 0, 0, 0, 0, 0, 0);
            errno(capture);
            criticalSyscall(-1, 0, 0, 0, 0, 0, 0);
            errnoAt(errno);
        }
    }

    /** strerror(3) text; linked only when an error is being reported. */
    static synchronized String strerror(int errno) {
        try {
            if (strerror == null) {
                strerror = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("strerror"),
                        FunctionDescriptor.of(ADDRESS, JAVA_INT));
            }
            MemorySegment s = (MemorySegment) strerror.invokeExact(errno);
            return s.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }
}
