package jrun.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Java arrays and strings into and out of native memory. The JDK's own array copies
 * ({@code MemorySegment.copy} with an array argument, {@code allocateFrom(String)},
 * {@code getString}) dispatch on the array's type with a pattern switch whose class is spun on
 * first use, which the AOT cache does not keep. Copying
 * through {@link MemorySegment#ofArray} takes the segment-to-segment path, which has no switch.
 */
public final class NativeCopy {
    private NativeCopy() {}

    /**
     * Reads and writes an int and a long of native memory once, so that the JDK's accessors for
     * them exist: their first use creates and links var handles, slow in an interpreted JVM. A
     * thread with time to spare calls this before the threads that need it get there: create's
     * main thread, while the other thread links the downcall handles and would otherwise pay
     * for it on its first errno read.
     */
    public static void prepareFieldAccess() {
        MemorySegment scratch = Arena.global().allocate(Long.BYTES, Long.BYTES);
        scratch.set(ValueLayout.JAVA_INT, 0, scratch.get(ValueLayout.JAVA_INT, 0));
        scratch.set(ValueLayout.JAVA_LONG, 0, scratch.get(ValueLayout.JAVA_LONG, 0));
    }

    /**
     * Fills {@code how} ({@link Kernel#OPEN_HOW_SIZE} bytes of zeroed memory) as openat2's
     * {@code struct open_how}: flags at 0, mode at 8 (left zero: nothing is created through
     * it), resolve at 16. The one place that knows the struct's layout.
     */
    public static MemorySegment openHow(MemorySegment how, long flags, long resolve) {
        how.set(ValueLayout.JAVA_LONG, 0, flags);
        how.set(ValueLayout.JAVA_LONG, 16, resolve);
        return how;
    }

    /** {@code s} as a NUL-terminated UTF-8 string (the NUL is the zero an arena's memory starts as). */
    public static MemorySegment cString(Arena arena, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        MemorySegment at = arena.allocate(bytes.length + 1L);
        put(bytes, 0, at, 0, bytes.length);
        return at;
    }

    /** A copy of {@code bytes} (at least one byte long, so that an empty array has an address). */
    public static MemorySegment of(SegmentAllocator allocator, byte[] bytes) {
        MemorySegment at = allocator.allocate(Math.max(1, bytes.length));
        put(bytes, 0, at, 0, bytes.length);
        return at;
    }

    /** A native copy of {@code values}. */
    public static MemorySegment of(SegmentAllocator allocator, int[] values) {
        MemorySegment at = allocator.allocate((long) Integer.BYTES * Math.max(1, values.length), Integer.BYTES);
        MemorySegment.copy(MemorySegment.ofArray(values), 0, at, 0, (long) Integer.BYTES * values.length);
        return at;
    }

    /** A native copy of {@code values}: e.g. a CPU mask, one bit per CPU. */
    public static MemorySegment of(SegmentAllocator allocator, long[] values) {
        MemorySegment at = allocator.allocate((long) Long.BYTES * Math.max(1, values.length), Long.BYTES);
        MemorySegment.copy(MemorySegment.ofArray(values), 0, at, 0, (long) Long.BYTES * values.length);
        return at;
    }

    public static void put(byte[] from, int fromIndex, MemorySegment to, long toOffset, int length) {
        MemorySegment.copy(MemorySegment.ofArray(from), fromIndex, to, toOffset, length);
    }

    public static void get(MemorySegment from, long fromOffset, byte[] to, int toIndex, int length) {
        MemorySegment.copy(from, fromOffset, MemorySegment.ofArray(to), toIndex, length);
    }
}
