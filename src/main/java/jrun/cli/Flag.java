package jrun.cli;

import java.util.List;

/**
 * A command-line flag in urfave/cli's style (runc's parser): {@code --name value},
 * {@code --name=value}, {@code -n value}; boolean flags take no value but accept
 * {@code --name=true|false}; repeatable flags collect every occurrence.
 */
public record Flag(String name, List<String> aliases, Kind kind, String defaultValue, String usage) {
    public enum Kind { BOOL, VALUE, MULTI }

    public static Flag bool(String name, String usage, String... aliases) {
        return new Flag(name, List.of(aliases), Kind.BOOL, null, usage);
    }

    public static Flag value(String name, String defaultValue, String usage, String... aliases) {
        return new Flag(name, List.of(aliases), Kind.VALUE, defaultValue, usage);
    }

    public static Flag multi(String name, String usage, String... aliases) {
        return new Flag(name, List.of(aliases), Kind.MULTI, null, usage);
    }

    boolean matches(String spelled) {
        return name.equals(spelled) || aliases.contains(spelled);
    }
}
