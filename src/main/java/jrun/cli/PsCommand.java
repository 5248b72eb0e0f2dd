package jrun.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import jrun.base.CliException;
import jrun.base.ExitCodes;
import jrun.base.JrunException;
import jrun.container.ContainerProcesses;
import jrun.json.JsonWriter;
import jrun.state.ContainerId;
import jrun.state.StateStore;

/**
 * {@code jrun ps [--format table|json] <id> [ps options]}: the container's processes, which are
 * those of its cgroup. As runc does, {@code table} runs the host's {@code ps} (with the given
 * options, {@code -ef} by default) and keeps its header and the lines of those pids; {@code json}
 * prints the pids.
 */
final class PsCommand implements Command {
    @Override public String name() { return "ps"; }
    @Override public String summary() { return "ps displays the processes running inside a container"; }
    @Override public String argsUsage() { return "<container-id> [ps options]"; }

    @Override
    public List<Flag> flags() {
        return List.of(Flag.value("format", "table", "select one of: table or json", "f"));
    }

    @Override
    public int run(GlobalOptions global, Args args) throws IOException, InterruptedException {
        String id = ContainerId.validate(args.requireId());
        String format = args.value("format");
        if (!format.equals("table") && !format.equals("json")) {
            throw new CliException("invalid format option \"" + format + "\": expected table or json");
        }
        List<Integer> pids = new ContainerProcesses(new StateStore(global.root())).pids(id);
        if (format.equals("json")) {
            // Go's encoding of an empty slice of runc's: null.
            JsonWriter json = JsonWriter.compact();
            if (pids.isEmpty()) {
                json.nullValue();
            } else {
                json.beginArray();
                for (int pid : pids) {
                    json.value(pid);
                }
                json.endArray();
            }
            System.out.println(json);
            return ExitCodes.OK;
        }
        List<String> psArgs = args.positional().subList(1, args.positional().size());
        System.out.print(filter(runPs(psArgs.isEmpty() ? List.of("-ef") : psArgs), new TreeSet<>(pids)));
        return ExitCodes.OK;
    }

    private static String runPs(List<String> psArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ps");
        cmd.addAll(psArgs);
        Process ps = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = ps.waitFor();
        if (status != 0) {
            throw new JrunException("ps " + String.join(" ", psArgs) + " failed (exit status " + status + "): " + out.strip());
        }
        return out;
    }

    /** ps's header and the lines whose PID column is one of {@code pids}. */
    static String filter(String psOutput, Set<Integer> pids) {
        String[] lines = psOutput.split("\n");
        List<String> header = List.of(lines[0].trim().split("\\s+"));
        int column = header.indexOf("PID");
        if (column < 0) {
            throw new JrunException("couldn't find PID field in ps output");
        }
        StringBuilder out = new StringBuilder(lines[0]).append('\n');
        for (int i = 1; i < lines.length; i++) {
            String[] fields = lines[i].trim().split("\\s+");
            if (fields.length > column) {
                try {
                    if (pids.contains(Integer.parseInt(fields[column]))) {
                        out.append(lines[i]).append('\n');
                    }
                } catch (NumberFormatException e) {
                    // not a process line
                }
            }
        }
        return out.toString();
    }
}
