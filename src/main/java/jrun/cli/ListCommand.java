package jrun.cli;

import java.util.ArrayList;
import java.util.List;
import jrun.base.CliException;
import jrun.base.ExitCodes;
import jrun.container.ContainerLister;
import jrun.state.OciState;
import jrun.state.StateJson;
import jrun.state.StateStore;

/** {@code jrun list}: runc's table, JSON array or bare ids of the containers under --root. */
public final class ListCommand implements Command {
    private static final List<String> HEADER = List.of("ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");

    @Override public String name() { return "list"; }
    @Override public String summary() { return "lists containers started by jrun with the given root"; }
    @Override public String argsUsage() { return ""; }

    @Override
    public List<Flag> flags() {
        return List.of(
                Flag.value("format", "table", "select one of: table or json", "f"),
                Flag.bool("quiet", "display only container IDs", "q"));
    }

    @Override
    public int run(GlobalOptions global, Args args) {
        args.atMost(0, argsUsage());
        String format = args.value("format");
        if (!format.equals("table") && !format.equals("json")) {
            throw new CliException("invalid format option \"" + format + "\": select one of: table or json");
        }
        List<OciState> states = new ContainerLister(new StateStore(global.root())).list(global.log()::warn);
        if (args.bool("quiet")) {
            StringBuilder ids = new StringBuilder();
            states.forEach(s -> ids.append(s.id()).append('\n'));
            System.out.print(ids);
        } else if (format.equals("json")) {
            System.out.println(StateJson.toJsonArray(states));
        } else {
            List<List<String>> rows = new ArrayList<>();
            rows.add(HEADER);
            for (OciState s : states) {
                rows.add(List.of(s.id(), Integer.toString(s.pid()), s.status().jsonName(), s.bundle(),
                        StateJson.formatTime(s.created()), s.owner()));
            }
            System.out.print(table(rows));
        }
        return ExitCodes.OK;
    }

    /**
     * Aligns rows as runc's {@code tabwriter.NewWriter(out, 12, 1, 3, ' ', 0)} does: every column
     * but the last is as wide as its widest cell plus 3 spaces, and at least 12; the last column
     * is not padded.
     */
    static String table(List<List<String>> rows) {
        int columns = rows.get(0).size();
        int[] width = new int[columns - 1];
        for (List<String> row : rows) {
            for (int c = 0; c < columns - 1; c++) {
                width[c] = Math.max(width[c], Math.max(12, displayWidth(row.get(c)) + 3));
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            for (int c = 0; c < columns - 1; c++) {
                String cell = row.get(c);
                out.append(cell).append(" ".repeat(width[c] - displayWidth(cell)));
            }
            out.append(row.get(columns - 1)).append('\n');
        }
        return out.toString();
    }

    // tabwriter counts UTF-8 runes, i.e. code points.
    private static int displayWidth(String s) {
        return s.codePointCount(0, s.length());
    }
}
