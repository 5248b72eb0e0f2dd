package jrun.cli;

import java.util.List;

/** The text of {@code jrun --help} and {@code jrun COMMAND --help}. */
final class Help {
    private Help() {}

    static String global(List<Command> commands, List<Flag> globalFlags) {
        StringBuilder b = new StringBuilder();
        b.append("jrun - an OCI container runtime in Java (runc-compatible command line)\n\n");
        b.append("USAGE:\n   jrun [global options] command [command options] [arguments...]\n\n");
        b.append("COMMANDS:\n");
        for (Command c : commands) {
            b.append(String.format("   %-10s %s%n", c.name(), c.summary()));
        }
        b.append("\nGLOBAL OPTIONS:\n");
        appendFlags(b, globalFlags);
        return b.toString();
    }

    static String command(Command c) {
        StringBuilder b = new StringBuilder();
        b.append("NAME:\n   jrun ").append(c.name()).append(" - ").append(c.summary()).append("\n\n");
        b.append("USAGE:\n   jrun ").append(c.name()).append(" [command options] ").append(c.argsUsage()).append("\n");
        if (!c.flags().isEmpty()) {
            b.append("\nOPTIONS:\n");
            appendFlags(b, c.flags());
        }
        return b.toString();
    }

    private static void appendFlags(StringBuilder b, List<Flag> flags) {
        for (Flag f : flags) {
            StringBuilder spelled = new StringBuilder("--").append(f.name());
            for (String a : f.aliases()) {
                spelled.append(", ").append(a.length() == 1 ? "-" : "--").append(a);
            }
            if (f.kind() != Flag.Kind.BOOL) {
                spelled.append(" value");
            }
            String dflt = f.defaultValue() == null ? "" : " (default: \"" + f.defaultValue() + "\")";
            b.append(String.format("   %-30s %s%s%n", spelled, f.usage(), dflt));
        }
    }
}
