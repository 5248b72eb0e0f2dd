package jrun.cli;

import java.util.ArrayList;
import java.util.List;

/** The command table, in runc's order. Each command is created only when it is asked for. */
final class Commands {
    static final List<String> NAMES = List.of(
            "checkpoint", "create", "delete", "events", "exec", "kill", "list", "pause", "ps", "restore",
            "resume", "run", "spec", "start", "state", "update", "features", "check");

    private Commands() {}

    static Command byName(String name) {
        return switch (name) {
            case "checkpoint" -> new NotImplementedCommand("checkpoint", "checkpoint a running container (needs CRIU)");
            case "restore" -> new NotImplementedCommand("restore", "restore a container from a checkpoint (needs CRIU)");
            case "create" -> new CreateCommand();
            case "start" -> new StartCommand();
            case "run" -> new RunCommand();
            case "delete" -> new DeleteCommand();
            case "events" -> new EventsCommand();
            case "exec" -> new ExecCommand();
            case "kill" -> new KillCommand();
            case "list" -> new ListCommand();
            case "pause" -> new PauseCommand();
            case "resume" -> new ResumeCommand();
            case "ps" -> new PsCommand();
            case "spec" -> new SpecCommand();
            case "state" -> new StateCommand();
            case "update" -> new UpdateCommand();
            case "features" -> new FeaturesCommand();
            case "check" -> new CheckCommand();
            default -> null;
        };
    }

    static List<Command> all() {
        List<Command> all = new ArrayList<>();
        for (String n : NAMES) {
            all.add(byName(n));
        }
        return all;
    }
}
