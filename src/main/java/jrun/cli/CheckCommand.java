package jrun.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import jrun.base.ExitCodes;
import jrun.linux.HostProbe;
import jrun.validation.ConfigLoader;
import jrun.validation.HostCheck;
import jrun.validation.HostChecks;
import jrun.validation.Problem;
import jrun.validation.ValidationReport;

/**
 * {@code jrun check [--bundle DIR]}: lists every problem of the bundle's config.json, then whether
 * this host has what the bundle needs, one line per item. Exits 0 only when all is well.
 */
final class CheckCommand implements Command {
    private final HostProbe probe;

    CheckCommand() {
        this(HostProbe.system());
    }

    CheckCommand(HostProbe probe) {
        this.probe = probe;
    }

    @Override public String name() { return "check"; }
    @Override public String summary() { return "validate a bundle and check that this host can run it"; }
    @Override public String argsUsage() { return ""; }

    @Override
    public List<Flag> flags() {
        return List.of(Flag.value("bundle", ".", "path to the root of the bundle directory", "b"));
    }

    @Override
    public int run(GlobalOptions global, Args args) {
        args.atMost(0, "[--bundle DIR]");
        PrintStream out = System.out;
        ValidationReport report = ConfigLoader.validate(Path.of(args.value("bundle")));
        if (report.valid()) {
            out.println("bundle " + report.bundle() + ": config.json is valid");
        } else {
            int n = report.problems().size();
            out.println("bundle " + report.bundle() + ": " + n + (n == 1 ? " problem" : " problems"));
            for (Problem p : report.problems()) {
                out.println(p);
            }
        }
        for (Problem w : report.warnings()) {
            out.println("warning: " + w);
        }
        if (report.tree() == null) {
            out.println("host: not checked, since config.json could not be read");
            return ExitCodes.FAILURE;
        }
        out.println("host:");
        boolean hostOk = true;
        for (HostCheck check : HostChecks.run(report.tree(), report.bundle(), probe)) {
            out.println(check);
            hostOk &= check.ok();
        }
        return report.valid() && hostOk ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
