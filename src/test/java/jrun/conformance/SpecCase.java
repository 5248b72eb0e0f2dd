package jrun.conformance;

/**
 * One observable MUST or SHOULD of the runtime-spec: where it is written ({@code source}, the
 * spec file and section), the sentence itself ({@code quote}), and the check that drives a
 * runtime through its command line and looks at what the spec promises.
 */
public record SpecCase(String name, String source, String quote, Check check) {
    /** The check of a case; it throws {@link AssertionError} (or anything) when the runtime fails it. */
    @FunctionalInterface
    public interface Check {
        void run(CaseRun run) throws Exception;
    }
}
