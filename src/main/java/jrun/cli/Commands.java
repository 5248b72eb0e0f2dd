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
            case "create" -> new NotImplementedCommand("create", "create a container");
            case "start" -> new NotImplementedCommand("start", "executes the user defined process in a created container");
            case "run" -> new NotImplementedCommand("run", "create and run a container");
            case "delete" -> new NotImplementedCommand("delete", "delete any resources held by the container");
            case "events" -> new NotImplementedCommand("events", "display container events such as OOM notifications, cpu, memory, and IO usage statistics");
            case "exec" -> new NotImplementedCommand("exec", "execute new process inside the container");
            case "kill" -> new NotImplementedCommand("kill", "kill sends the specified signal (default: SIGTERM) to the container's init process");
            case "list" -> new NotImplementedCommand("list", "lists containers started by jrun with the given root");
            case "pause" -> new NotImplementedCommand("pause", "pause suspends all processes inside the container");
            case "resume" -> new NotImplementedCommand("resume", "resumes all processes that have been previously paused");
            case "ps" -> new NotImplementedCommand("ps", "ps displays the processes running inside a container");
            case "spec" -> new NotImplementedCommand("spec", "create a new specification file");
            case "state" -> new NotImplementedCommand("state", "output the state of a container");
            case "update" -> new NotImplementedCommand("update", "update container resource constraints");
            case "features" -> new NotImplementedCommand("features", "show the enabled features");
            case "check" -> new NotImplementedCommand("check", "validate a bundle and check that this host can run it");
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
