package jrun.base;

/**
 * An error meant for the user: its message is complete (names the file, field or container and
 * what was expected) and is printed as is, without a stack trace.
 */
public class JrunException extends RuntimeException {
    public JrunException(String message) {
        super(message);
    }

    public JrunException(String message, Throwable cause) {
        super(message, cause);
    }
}
