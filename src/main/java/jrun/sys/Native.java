package jrun.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The downcalls into the kernel: libc's {@code long syscall(long number, ...)}, every system call
 * jrun makes with its number from {@link SyscallNr}. Linking a downcall handle costs tens of
 * milliseconds of class spinning in jrun's interpreted JVM that an AOT cache does not keep
 * (README, "Where the time goes"), so jrun links two handles and no more:
 * <ul>
 *   <li>the parent's, with errno captured by the downcall itself: between the call's return and
 *       a later read of errno, this thread may stop for a safepoint, and the JVM's futex calls
 *       there set errno;</li>
 *   <li>the forked child's: critical (no thread-state transition, so no safepoint poll on
 *       return) and without errno capture, whose downcall allocates on every call (40 bytes
 *       measured under -Xint, a segment slice): an allocation in the child can need a GC, and
 *       the GC's thread did not survive the fork. The child reads errno from
 *       {@link #errnoLocation()}.</li>
 * </ul>
 * Both are unbound (the function's address is their first argument): measured, an unbound handle
 * links faster than one bound to its function, which spins method-handle species to bind
 * the address. The child's handle also calls libc's {@code __errno_location} and {@code strerror}:
 * on x86_64 and aarch64 arguments travel in registers that a callee with fewer parameters never
 * reads, and the caller pops what it pushed, so a call with unused extra arguments is exact.
 *
 * <p>The child's handle must have been invoked before the fork (see {@link #warmUp()}): the
 * first invocation of a handle spins a hidden class under a JVM lock that no thread of the child
 * could release.
 */
public final class Native {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET = errnoOffset();
    private static final FunctionDescriptor LONG_SEVEN_LONGS =
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final MemorySegment SYSCALL_FUNCTION = LINKER.defaultLookup().findOrThrow("syscall");

    private static final MethodHandle SYSCALL = LINKER.downcallHandle(LONG_SEVEN_LONGS,
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));

    private static final class Critical {
        // Linked only by the commands that fork (create, run, exec) and by error messages.
        static final MethodHandle CALL = LINKER.downcallHandle(LONG_SEVEN_LONGS,
                Linker.Option.firstVariadicArg(1), Linker.Option.critical(false));
        static final MemorySegment ERRNO_LOCATION_FUNCTION = LINKER.defaultLookup().findOrThrow("__errno_location");
        static final MemorySegment STRERROR_FUNCTION = LINKER.defaultLookup().findOrThrow("strerror");
    }

    private static final ThreadLocal<MemorySegment> ERRNO_LOCATION = ThreadLocal.withInitial(Native::lookUpErrnoLocation);

    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.global().allocate(CAPTURE_LAYOUT));

    static {
        ProcessExit.syscallsLinked();
    }

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
            return (long) SYSCALL.invokeExact(SYSCALL_FUNCTION, capture, nr, a, b, c, d, e, f);
        } catch (Throwable t) {
            // invokeExact of a correctly typed downcall cannot throw; keep the child free of
            // exception paths by reporting it as a failed call.
            return -1;
        }
    }

    /**
     * A libc function of up to six integer or pointer arguments, through the parent's handle
     * (no second handle to link: see the class comment on calls with unused extra arguments).
     * Returns the function's result as a long: a function returning {@code int} leaves the upper
     * half undefined, so such a result must be narrowed with {@code (int)}.
     *
     * @param function from {@link #function(String)}
     */
    public static long callFunction(MemorySegment function, long a, long b, long c, long d, long e, long f) {
        try {
            return (long) SYSCALL.invokeExact(function, threadCapture(), a, b, c, d, e, f, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("calling a libc function failed", t);
        }
    }

    /** The address of libc's function {@code name}, for {@link #callFunction}. */
    public static MemorySegment function(String name) {
        return LINKER.defaultLookup().findOrThrow(name);
    }

    /**
     * The raw call for the forked child: returns the kernel's result, or -1 with errno at
     * {@link #errnoLocation()}. Allocates nothing, throws nothing, never transitions to the VM.
     */
    public static long criticalSyscall(long nr, long a, long b, long c, long d, long e, long f) {
        return critical(SYSCALL_FUNCTION, nr, a, b, c, d, e, f);
    }

    private static long critical(MemorySegment function, long nr, long a, long b, long c, long d, long e, long f) {
        try {
            return (long) Critical.CALL.invokeExact(function, nr, a, b, c, d, e, f);
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
        long address = critical(Critical.ERRNO_LOCATION_FUNCTION, 0, 0, 0, 0, 0, 0, 0);
        if (address == 0 || address == -1) {
            throw new IllegalStateException("__errno_location() returned " + address);
        }
        return MemorySegment.ofAddress(address).reinterpret(Integer.BYTES);
    }

    public static int errno(MemorySegment capture) {
        return capture.get(JAVA_INT, ERRNO_OFFSET);
    }

    /** Where the capture state keeps errno, found without a layout path (whose set-up spins method handles). */
    private static long errnoOffset() {
        long offset = 0;
        for (MemoryLayout member : CAPTURE_LAYOUT.memberLayouts()) {
            if (member.name().equals(Optional.of("errno"))) {
                return offset;
            }
            offset += member.byteSize();
        }
        throw new IllegalStateException("the JDK captures no errno: " + CAPTURE_LAYOUT);
    }

    /** The calling thread's capture buffer, for parent-side calls. */
    static MemorySegment threadCapture() {
        return CAPTURE.get();
    }

    /**
     * A handle invoked more often than this is re-spun for its own use ("customized": classes
     * defined, memory allocated), which the forked child must never do: more than this many
     * warm-up calls get it done in the parent. bin/jrun turns customization off
     * ({@code -Djava.lang.invoke.MethodHandle.CUSTOMIZE_THRESHOLD=-1}: it only helps a JIT, and
     * jrun runs interpreted); this covers a JVM started without that flag.
     */
    private static final int CUSTOMIZE_THRESHOLD = 127;

    /**
     * Invokes both handles and every code path the forked child relies on, with a call the
     * kernel refuses at once (an invalid syscall number gives ENOSYS).
     */
    public static void warmUp() {
        // The parent's handle first: other threads' syscalls wait for it, the child's can wait.
        MemorySegment capture = threadCapture();
        syscall(capture, -1, 0, 0, 0, 0, 0, 0);
        errno(capture);
        MemorySegment errno = errnoLocation();
        for (int i = 0; i <= CUSTOMIZE_THRESHOLD; i++) {
            criticalSyscall(-1, 0, 0, 0, 0, 0, 0);
            errnoAt(errno);
        }
    }

    /** strerror(3) text; only for error messages, so the JDK's own string read is fine here. */
    static String strerror(int errno) {
        long text = critical(Critical.STRERROR_FUNCTION, errno, 0, 0, 0, 0, 0, 0);
        if (text == 0 || text == -1) {
            return "errno " + errno;
        }
        try {
            return MemorySegment.ofAddress(text).reinterpret(1024).getString(0);
        } catch (RuntimeException e) {
            return "errno " + errno;
        }
    }
}
