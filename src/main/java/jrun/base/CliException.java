package jrun.base;

/** A usage error: unknown flag, missing argument, bad value. Exit code {@link ExitCodes#USAGE}. */
public class CliException extends RuntimeException {
    private final int exitCode;

    public CliException(String message) {
        this(message, ExitCodes.USAGE);
    }

    public CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
