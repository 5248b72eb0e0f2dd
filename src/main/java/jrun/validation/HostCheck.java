package jrun.validation;

/** One line of {@code jrun check}'s host report: what was checked, whether it is fine, and why. */
public record HostCheck(String item, boolean ok, String detail) {
    static HostCheck ok(String item, String detail) {
        return new HostCheck(item, true, detail);
    }

    static HostCheck fail(String item, String detail) {
        return new HostCheck(item, false, detail);
    }

    @Override
    public String toString() {
        return (ok ? "ok    " : "FAIL  ") + item + ": " + detail;
    }
}
