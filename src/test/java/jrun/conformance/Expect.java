package jrun.conformance;

import java.util.Objects;
import jrun.it.Jrun;

/**
 * The suite's assertions: plain {@link AssertionError}s with the runtime's own words in them, so
 * the standalone runner (no JUnit engine) prints the same reasons as the IT.
 */
final class Expect {
    private Expect() {}

    static void that(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    static void equal(Object expected, Object actual, String what) {
        if (!Objects.equals(expected, actual)) {
            throw new AssertionError(what + ": expected <" + expected + "> but was <" + actual + ">");
        }
    }

    static void contains(String text, String needle, String what) {
        if (text == null || !text.contains(needle)) {
            throw new AssertionError(what + ": no \"" + needle + "\" in:\n" + text);
        }
    }

    static void lacks(String text, String needle, String what) {
        if (text != null && text.contains(needle)) {
            throw new AssertionError(what + ": \"" + needle + "\" in:\n" + text);
        }
    }

    /** The command succeeded (exit 0). */
    static Jrun.Result ok(Jrun.Result r, String what) {
        if (r.exit() != 0) {
            throw new AssertionError(what + " failed (exit " + r.exit() + "): " + (r.stderr() + r.stdout()).strip());
        }
        return r;
    }

    /** The command failed: a non-zero exit, the spec's "generate an error" as a CLI shows it. */
    static Jrun.Result error(Jrun.Result r, String what) {
        if (r.exit() == 0) {
            throw new AssertionError(what + " succeeded, an error was expected: " + (r.stdout() + r.stderr()).strip());
        }
        return r;
    }
}
