package jrun.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static jrun.sys.Kernel.O_CLOEXEC;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A close-on-exec pipe whose ends are never stdin, stdout or stderr. */
public record Pipe(int read, int write) {
    /**
     * Opens one. An end numbered 0-2 (jrun started with one of them closed) is moved up: the
     * pipes are dup2'ed onto a child's 0-2, and one already there could be overwritten before
     * its own turn.
     *
     * @param purpose for the error, e.g. "a hook's stdin"
     */
    public static Pipe open(String purpose) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            Sys.call("create a pipe for " + purpose, SyscallNr.PIPE2, fds.address(), O_CLOEXEC);
            return new Pipe(Sys.moveAtLeast("move a pipe above stdio", fds.getAtIndex(JAVA_INT, 0), 3),
                    Sys.moveAtLeast("move a pipe above stdio", fds.getAtIndex(JAVA_INT, 1), 3));
        }
    }

    /** Closes both ends. */
    public void close() {
        Sys.attempt(SyscallNr.CLOSE, read);
        Sys.attempt(SyscallNr.CLOSE, write);
    }
}
