package jrun.validation;

import java.nio.file.Path;
import java.util.List;

import jrun.json.JsonValue;

/**
 * Everything found about a bundle: the parsed config ({@code null} when config.json could not
 * be read or parsed), the problems that make it unusable and the warnings that do not.
 */
public record ValidationReport(Path bundle, Path configFile, JsonValue tree, List<Problem> problems,
                               List<Problem> warnings) {
    public ValidationReport {
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
    }

    public boolean valid() {
        return problems.isEmpty();
    }

    /** The config, or a {@link BundleInvalidException} listing every problem. */
    public LoadedConfig requireValid() {
        if (!valid()) {
            throw new BundleInvalidException(problems);
        }
        return new LoadedConfig(bundle, configFile, tree, warnings);
    }
}
