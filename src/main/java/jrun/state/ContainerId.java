package jrun.state;

import jrun.base.JrunException;
import jrun.base.Log;

/**
 * Container ids, with runc's rule: one or more of {@code [A-Za-z0-9_+\-.]}, but not {@code .} or
 * {@code ..}. The id names a directory under {@code --root}, so this rule is what keeps a caller
 * from reaching outside it ({@code ../x}, {@code a/b}, {@code /}); control characters, which
 * could forge log lines or terminal output, are refused by the same rule.
 */
public final class ContainerId {
    /** A directory entry's name cannot be longer (NAME_MAX); runc fails later, on the mkdir. */
    public static final int MAX_LENGTH = 255;

    private ContainerId() {}

    /** Returns {@code id} when it is a valid container id, else throws a {@link JrunException}
     *  {@code invalid container id "<id>": <why>}. */
    public static String validate(String id) {
        String why = problem(id);
        if (why != null) {
            throw new JrunException("invalid container id " + shown(id) + ": " + why);
        }
        return id;
    }

    public static boolean isValid(String id) {
        return problem(id) == null;
    }

    private static String problem(String id) {
        if (id == null || id.isEmpty()) {
            return "it is empty";
        }
        if (id.length() > MAX_LENGTH) {
            return "it is longer than " + MAX_LENGTH + " characters";
        }
        if (id.equals(".") || id.equals("..")) {
            return "'.' and '..' name directories, not containers";
        }
        for (int i = 0; i < id.length(); i++) {
            if (!allowed(id.charAt(i))) {
                return "only letters, digits, '_', '+', '-' and '.' are allowed";
            }
        }
        return null;
    }

    // ASCII only, as \w in Go's RE2 (runc's ^[\w+-\.]+$): no Unicode letters.
    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '+' || c == '-' || c == '.';
    }

    /** The id quoted and escaped for an error message, cut short when it is huge. */
    private static String shown(String id) {
        if (id == null) {
            return "\"\"";
        }
        return id.length() <= 80 ? Log.quote(id) : Log.quote(id.substring(0, 80)) + "...";
    }
}
