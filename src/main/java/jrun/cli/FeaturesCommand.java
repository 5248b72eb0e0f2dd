package jrun.cli;

import java.util.List;
import jrun.base.ExitCodes;
import jrun.features.Features;
import jrun.features.FeaturesJson;

/** {@code jrun features}: the runtime-spec Features structure of this build, as {@code runc features} prints it. */
public final class FeaturesCommand implements Command {
    @Override public String name() { return "features"; }
    @Override public String summary() { return "show the enabled features"; }
    @Override public String argsUsage() { return ""; }
    @Override public List<Flag> flags() { return List.of(); }

    @Override
    public int run(GlobalOptions global, Args args) {
        args.atMost(0, argsUsage());
        System.out.print(FeaturesJson.toJson(Features.thisBuild()));
        return ExitCodes.OK;
    }
}
