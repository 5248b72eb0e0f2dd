package jrun.spec;

import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;

/**
 * Jackson output indented as Go's encoding/json indents it ({@code MarshalIndent(v, "", indent)}
 * and {@code Encoder.SetIndent}): {@code "name": value}, one element per line, and empty
 * objects and arrays as {@code {}} and {@code []}. runc prints its JSON so, and engines and
 * scripts compare jrun's output with runc's.
 */
public final class GoIndent {
    private GoIndent() {}

    public static ObjectWriteContext of(String indent) {
        return new ObjectWriteContext.Base() {
            @Override
            public PrettyPrinter getPrettyPrinter() {
                DefaultIndenter indenter = new DefaultIndenter(indent, "\n");
                return new DefaultPrettyPrinter(Separators.createDefaultInstance()
                        .withObjectNameValueSpacing(Separators.Spacing.AFTER)
                        .withObjectEmptySeparator("")
                        .withArrayEmptySeparator(""))
                        .withObjectIndenter(indenter)
                        .withArrayIndenter(indenter);
            }

            @Override
            public boolean hasPrettyPrinter() {
                return true;
            }
        };
    }
}
