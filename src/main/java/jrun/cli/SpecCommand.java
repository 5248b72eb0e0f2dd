package jrun.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import jrun.base.ExitCodes;
import jrun.base.JrunException;
import jrun.spec.DefaultSpec;
import jrun.spec.SpecWriter;

/** {@code jrun spec}: writes an example config.json, as {@code runc spec} does. */
public final class SpecCommand implements Command {
    static final String CONFIG = "config.json";

    @Override public String name() { return "spec"; }
    @Override public String summary() { return "create a new specification file"; }
    @Override public String argsUsage() { return ""; }

    @Override
    public List<Flag> flags() {
        return List.of(
                Flag.value("bundle", null, "path to the root of the bundle directory", "b"),
                Flag.bool("rootless", "generate a configuration for a rootless container"));
    }

    @Override
    public int run(GlobalOptions global, Args args) {
        args.atMost(0, "[--bundle DIR] [--rootless]");
        String bundle = args.value("bundle");
        Path config = bundle == null || bundle.isEmpty() ? Path.of(CONFIG) : Path.of(bundle).resolve(CONFIG);
        String json = SpecWriter.toJson(DefaultSpec.create(args.bool("rootless")));
        try {
            // CREATE_NEW: the existence check and the creation are one step, so a config.json
            // that appears meanwhile is not overwritten either.
            Files.writeString(config, json, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new JrunException("File " + CONFIG + " exists. Remove it first");
        } catch (NoSuchFileException e) {
            throw new JrunException("bundle directory " + bundle + " does not exist");
        } catch (IOException e) {
            throw new JrunException("cannot write " + config + ": " + e.getMessage(), e);
        }
        return ExitCodes.OK;
    }
}
