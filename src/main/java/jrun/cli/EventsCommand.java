package jrun.cli;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jrun.base.CliException;
import jrun.base.ExitCodes;
import jrun.container.ContainerEvents;
import jrun.json.JsonWriter;
import jrun.state.ContainerId;
import jrun.state.StateStore;

/**
 * {@code jrun events [--stats] [--interval 5s] <id>}: runc's event stream ({@link ContainerEvents}),
 * one JSON object a line: {@code {"type":"stats","id":ID,"data":{...}}} and {@code {"type":"oom","id":ID}}.
 */
final class EventsCommand implements Command {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    @Override public String name() { return "events"; }
    @Override public String summary() { return "display container events such as OOM notifications, cpu, memory, and IO usage statistics"; }
    @Override public String argsUsage() { return "<container-id>"; }

    @Override
    public List<Flag> flags() {
        return List.of(Flag.value("interval", "5s", "set the stats collection interval"),
                Flag.bool("stats", "display the container's stats then exit"));
    }

    @Override
    public int run(GlobalOptions global, Args args) {
        args.exactly(1, argsUsage());
        String id = ContainerId.validate(args.requireId());
        long interval = parseDuration(args.value("interval"));
        new ContainerEvents(new StateStore(global.root())).watch(id, args.bool("stats"), interval, EventsCommand::print);
        return ExitCodes.OK;
    }

    /** runc's event: {@code {"type":...,"id":...,"data":...}}, Go's json.Encoder, one line. */
    private static void print(ContainerEvents.Event event) {
        JsonWriter w = JsonWriter.compact().beginObject().property("type", event.type()).property("id", event.id());
        if (event.data() != null) {
            StatsJson.write(w.name("data"), event.data());
        }
        System.out.println(w.endObject());
        System.out.flush();
    }

    /** A Go duration as urfave/cli takes it: {@code 5s}, {@code 100ms}, {@code 1m30s}. */
    static long parseDuration(String s) {
        if (s == null || s.isEmpty() || !s.replaceAll(DURATION.pattern(), "").isEmpty()) {
            throw new CliException("events: invalid value \"" + s + "\" for --interval: expected a duration such as 5s or 500ms");
        }
        Matcher m = DURATION.matcher(s);
        double nanos = 0;
        while (m.find()) {
            double n = Double.parseDouble(m.group(1));
            nanos += n * switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
        }
        if (nanos < 1) {
            throw new CliException("events: --interval must be positive, not \"" + s + "\"");
        }
        return (long) nanos;
    }
}
