package jrun.validation;

/**
 * One thing wrong with a bundle: the file it is in, the JSON pointer (RFC 6901) of the offending
 * value ({@code ""} for the whole file) and what is wrong, worded for a person. Prints as
 * {@code config.json: /linux/namespaces/2/type: "pidd" is not one of pid, network, ...}.
 */
public record Problem(String file, String pointer, String message) {
    public Problem {
        pointer = pointer == null ? "" : pointer;
    }

    @Override
    public String toString() {
        return pointer.isEmpty() ? file + ": " + message : file + ": " + pointer + ": " + message;
    }

    /** {@code parent} extended by one object member or array index, escaped as RFC 6901 asks. */
    public static String pointer(String parent, Object member) {
        String token = String.valueOf(member);
        if (token.indexOf('~') >= 0 || token.indexOf('/') >= 0) {
            token = token.replace("~", "~0").replace("/", "~1");
        }
        return parent + "/" + token;
    }
}
