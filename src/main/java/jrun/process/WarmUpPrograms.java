package jrun.process;

import java.lang.foreign.Arena;
import jrun.sys.Errno;

/**
 * Programs that take every path of {@link ChildInterpreter} with system calls the kernel
 * refuses at once (number -1: ENOSYS), so that the parent has resolved every bytecode and
 * handle the child will use.
 */
final class WarmUpPrograms {
    private WarmUpPrograms() {}

    static long[][] all(Arena arena) {
        return new long[][] {everyMode(arena), endsInFailedCall(arena), endsInFail(arena), endsInFailedResultTest(arena),
                endsInFailedExpectLong(arena)};
    }

    private static long[] everyMode(Arena arena) {
        ProgramBuilder b = new ProgramBuilder(arena);
        ProgramBuilder.Reg r = b.newReg();
        b.set(r, 7);
        b.rawCall(-1, r, 1, 2, 3, 4, 5).into(r).ignoringErrors();
        b.rawCall(-1, 0, r, 0, r, 0, r).ignoring(Errno.ENOSYS);
        ProgramBuilder.Label a = b.label();
        b.rawCall(-1).onErrno(Errno.ENOSYS, a);
        b.fail(Errno.EINVAL);
        b.bind(a);
        ProgramBuilder.Label c = b.label();
        b.rawCall(-1).onError(c);
        b.bind(c);
        b.rawCall(-1).expect(-1);
        b.rawCallEach(-1, 0, 2, 0, 0);
        ProgramBuilder.Label e = b.label();
        b.rawCall(-1).onResult(-1, e);
        b.bind(e);
        java.lang.foreign.MemorySegment word = b.buffer(8);
        word.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, 42);
        b.expectLong(word.address(), 42, 0);
        b.expectOtherLong(word.address(), 7, 0);
        ProgramBuilder.Label d = b.label();
        b.jump(d);
        b.bind(d);
        return b.build().ops();
    }

    private static long[] endsInFailedCall(Arena arena) {
        ProgramBuilder b = new ProgramBuilder(arena);
        b.rawCall(-1, 0, 0, 0, 0, 0, 0).expect(0);
        return b.build().ops();
    }

    private static long[] endsInFailedResultTest(Arena arena) {
        ProgramBuilder b = new ProgramBuilder(arena);
        ProgramBuilder.Label never = b.label();
        b.rawCall(-1).onResult(0, never);
        b.bind(never);
        return b.build().ops();
    }

    private static long[] endsInFailedExpectLong(Arena arena) {
        ProgramBuilder b = new ProgramBuilder(arena);
        b.expectLong(b.buffer(8).address(), 42, 0);
        return b.build().ops();
    }

    private static long[] endsInFail(Arena arena) {
        ProgramBuilder b = new ProgramBuilder(arena);
        b.fail(Errno.EINVAL);
        return b.build().ops();
    }
}
