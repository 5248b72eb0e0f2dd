package jrun.validation;

import java.util.List;
import java.util.stream.Collectors;
import jrun.base.JrunException;

/** The bundle cannot be used; the message lists every problem found, one per line. */
public class BundleInvalidException extends JrunException {
    private final transient List<Problem> problems;

    public BundleInvalidException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a bundle is invalid only for some reason");
        }
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
