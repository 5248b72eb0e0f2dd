package jrun.sys;

/** A failed system call: what was being done, the call, and errno with its text. */
public final class SysException extends RuntimeException {
    private final int errno;

    public SysException(String what, SyscallNr call, int errno) {
        super(what + ": " + call.name().toLowerCase() + ": " + Errno.describe(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
