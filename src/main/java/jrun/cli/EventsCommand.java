package jrun.cli;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jrun.base.CliException;
import jrun.base.ExitCodes;
import jrun.base.JrunException;
import jrun.linux.cgroups.CgroupManager;
import jrun.linux.cgroups.CgroupStats;
import jrun.linux.cgroups.Cgroups;
import jrun.state.ContainerId;
import jrun.state.ContainerState;
import jrun.state.ContainerStatus;
import jrun.state.StateStore;
import jrun.state.StatusProbe;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code jrun events [--stats] [--interval 5s] <id>}: runc's event stream, one JSON object a
 * line: {@code {"type":"stats","id":ID,"data":{...}}} every interval (once with {@code --stats}),
 * and {@code {"type":"oom","id":ID}} whenever the kernel's OOM killer kills a process of the
 * container. The stream ends when the container stops. Asked about a stopped container whose
 * cgroup shows OOM kills, it reports them once (runc would only say that it is not running),
 * so that {@code jrun events} explains why a container died.
 */
final class EventsCommand implements Command {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");
    private static final long OOM_POLL_NANOS = 100_000_000L;

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
        StateStore store = new StateStore(global.root());
        ContainerState state = store.load(id);
        StatusProbe probe = StatusProbe.system();
        CgroupManager cgroup = Cgroups.of(state.cgroupPaths()).filter(c -> c.exists()).orElse(null);
        boolean stopped = probe.status(state, store.containerDir(id)) == ContainerStatus.STOPPED;
        if (stopped || cgroup == null) {
            if (cgroup != null && !args.bool("stats") && cgroup.oomKills() > 0) {
                print(event("oom", id));
                return ExitCodes.OK;
            }
            throw new JrunException("container with id " + id + " is not running");
        }
        if (args.bool("stats")) {
            print(stats(id, cgroup));
            return ExitCodes.OK;
        }
        stream(id, state, cgroup, probe, interval);
        return ExitCodes.OK;
    }

    private static void stream(String id, ContainerState state, CgroupManager cgroup, StatusProbe probe, long interval) {
        long ooms = cgroup.oomKills();
        long nextStats = System.nanoTime() + interval;
        while (true) {
            long now = cgroup.exists() ? cgroup.oomKills() : ooms;
            for (; ooms < now; ooms++) {
                print(event("oom", id));
            }
            if (!probe.processAlive(state) || !cgroup.exists()) {
                return;
            }
            if (System.nanoTime() - nextStats >= 0) {
                print(stats(id, cgroup));
                nextStats += interval;
            }
            sleepNanos(Math.min(OOM_POLL_NANOS, Math.max(1_000_000L, nextStats - System.nanoTime())));
        }
    }

    private static ObjectNode event(String type, String id) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("type", type);
        e.put("id", id);
        return e;
    }

    private static ObjectNode stats(String id, CgroupManager cgroup) {
        ObjectNode e = event("stats", id);
        e.set("data", CgroupStats.of(cgroup));
        return e;
    }

    private static void print(ObjectNode event) {
        System.out.println(event.toString());
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

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JrunException("interrupted", e);
        }
    }
}
