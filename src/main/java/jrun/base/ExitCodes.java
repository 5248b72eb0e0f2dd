package jrun.base;

/** Exit codes. runc exits 1 on every error; jrun does too, except where a distinct code helps. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Any failure of the requested operation (runc's code for all errors). */
    public static final int FAILURE = 1;
    /** Malformed command line: unknown flag, missing or extra argument. */
    public static final int USAGE = 2;
    /** The command exists in runc's CLI but this build of jrun does not implement it. */
    public static final int NOT_IMPLEMENTED = 3;

    private ExitCodes() {}
}
