package jrun.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jrun.base.CliException;

/**
 * Parsed flags and positional arguments of one command. Parsing stops at the first positional
 * argument or at {@code --}, as urfave/cli does, so that {@code jrun exec ID ps -ef} passes
 * {@code -ef} to the container's command.
 */
public final class Args {
    private final Map<String, List<String>> values = new HashMap<>();
    private final List<String> positional = new ArrayList<>();
    private final List<Flag> flags;
    private final String command;

    private Args(String command, List<Flag> flags) {
        this.command = command;
        this.flags = flags;
    }

    public static Args parse(String command, List<Flag> flags, List<String> argv) {
        Args args = new Args(command, flags);
        int i = 0;
        for (; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("--")) {
                i++;
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                break;
            }
            String spelled = a.startsWith("--") ? a.substring(2) : a.substring(1);
            String inline = null;
            int eq = spelled.indexOf('=');
            if (eq >= 0) {
                inline = spelled.substring(eq + 1);
                spelled = spelled.substring(0, eq);
            }
            Flag flag = args.find(spelled);
            if (flag == null) {
                throw new CliException(command + ": flag provided but not defined: -" + spelled);
            }
            String value;
            if (flag.kind() == Flag.Kind.BOOL) {
                value = inline == null ? "true" : inline;
                if (!value.equals("true") && !value.equals("false")) {
                    throw new CliException(command + ": invalid boolean value \"" + value + "\" for flag --" + flag.name());
                }
            } else if (inline != null) {
                value = inline;
            } else if (i + 1 < argv.size()) {
                value = argv.get(++i);
            } else {
                throw new CliException(command + ": flag needs an argument: --" + flag.name());
            }
            args.values.computeIfAbsent(flag.name(), k -> new ArrayList<>()).add(value);
        }
        args.positional.addAll(argv.subList(i, argv.size()));
        return args;
    }

    private Flag find(String spelled) {
        for (Flag f : flags) {
            if (f.matches(spelled)) {
                return f;
            }
        }
        return null;
    }

    private Flag declared(String name) {
        Flag f = find(name);
        if (f == null) {
            throw new IllegalArgumentException("flag --" + name + " is not declared by " + command);
        }
        return f;
    }

    public boolean bool(String name) {
        declared(name);
        List<String> v = values.get(name);
        return v != null && v.get(v.size() - 1).equals("true");
    }

    /** The last value given for the flag, or its default (which may be null). */
    public String value(String name) {
        Flag f = declared(name);
        List<String> v = values.get(name);
        return v == null ? f.defaultValue() : v.get(v.size() - 1);
    }

    public boolean isSet(String name) {
        declared(name);
        return values.containsKey(name);
    }

    public List<String> all(String name) {
        declared(name);
        return values.getOrDefault(name, List.of());
    }

    public int intValue(String name, int fallback) {
        String v = value(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new CliException(command + ": invalid value \"" + v + "\" for flag --" + name + ": expected an integer");
        }
    }

    public List<String> positional() {
        return positional;
    }

    /** The container id, required as the first positional argument. Not validated here: see
     *  {@code jrun.state.ContainerId}. */
    public String requireId() {
        if (positional.isEmpty()) {
            throw new CliException(command + ": requires a container id (\"jrun " + command + " --help\" for usage)");
        }
        return positional.get(0);
    }

    /** Refuses positional arguments beyond {@code max}. */
    public void atMost(int max, String usage) {
        if (positional.size() > max) {
            throw new CliException(command + ": too many arguments; usage: jrun " + command + " " + usage);
        }
    }

    public void exactly(int n, String usage) {
        if (positional.size() != n) {
            throw new CliException(command + ": expects exactly " + n + " argument" + (n == 1 ? "" : "s")
                    + "; usage: jrun " + command + " " + usage);
        }
    }
}
