package jrun.base;

/** jrun's version and the runtime-spec version it implements, printed by --version and features. */
public final class Version {
    public static final String VERSION = "0.1.0";
    public static final String SPEC_VERSION = "1.2.0";

    private Version() {}
}
